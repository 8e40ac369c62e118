"""MinHash signatures over word shingles of a cleaned body, and the LSH band keys stored for them.

Pure Python and numpy, no database and no Django settings: computed in the staging workers with the rest of a
piece's preparation. Each shingle is hashed to 64 bits (each word by BLAKE2b, once per process: `_word_hashes`; a
shingle mixes its words' hashes: `shingle_hashes`); permutation i is the multiply-shift hash
((a_i * x + b_i) mod 2**64) >> 32 with a_i odd, which numpy's wrapping 64-bit arithmetic computes exactly (a
linear hash modulo a prime that never wraps would order every permutation alike); a band's key mixes its rows the
same way. The constants are seeded, so every process and every machine computes the same keys for the same text.

Shingles are runs of SHINGLE_WORDS words of the case-folded text, split at white space with the punctuation around
each word dropped and numbers kept (the daily outlooks of one outlet differ mostly in their figures). What
similarity is computed on (`shingle_set`) is the sorted distinct upper 32 bits of the shingle hashes: 2 KB for a
piece of 500 words, small enough to travel with the staged piece, and two pieces' sets meet by chance in one
shingle in ten thousand pairs at most. A piece with fewer than MIN_SHINGLES shingles (a
headline-sized excerpt) gets no bands: it can only be an exact copy (its fingerprint), never a near-copy, since a
handful of shingles says too little to tell a copy from a piece on the same subject.
"""

import hashlib
import os
import string

import numpy as np

SHINGLE_WORDS = 4
PERMUTATIONS = 60
BAND_ROWS = 3
# 20 bands of 3 rows: a pair at Jaccard 0.5 is a candidate 93% of the time, at 0.6 99%.
BANDS = PERMUTATIONS // BAND_ROWS
MIN_SHINGLES = 12
OPENING_SHINGLES = 40  # the opening's bands: a cut copy or an excerpt shares the original's opening, not its length
OPENING_BANDS = 8
# NEWSROOM_STORIES=0 turns story assignment off (no signatures, no bands, no story rows): for the import benchmark's
# run without stories only (bench/import_speed.py); read from the environment so the staging workers see it too.
ENABLED = os.environ.get("NEWSROOM_STORIES", "1") != "0"
_RNG = np.random.default_rng(20261202)
_A = _RNG.integers(0, 1 << 63, size=PERMUTATIONS, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_B = _RNG.integers(0, 1 << 63, size=PERMUTATIONS, dtype=np.uint64)
_SHIFT = np.uint64(32)
_POSITION = _RNG.integers(0, 1 << 63, size=SHINGLE_WORDS, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_ROW = _RNG.integers(0, 1 << 63, size=BAND_ROWS + 1, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
# What is stripped from both ends of a word: ASCII punctuation and the quotes, dashes and dots typography adds.
_PUNCTUATION = (
    string.punctuation + "\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e\u201a\u2039\u203a\u2026\u2013\u2014\u00b7\u2022"
)
_WORD_HASHES: dict[str, int] = {}
_WORD_HASHES_KEPT = 200_000  # about 25 MB; a language's working vocabulary fits, a flood of odd tokens is cut off


def words(body: str) -> list[str]:
    """Return the body's words, case-folded, the punctuation around each dropped (a token of punctuation only is
    no word)."""
    strip = _PUNCTUATION
    return [word for token in body.casefold().split() if (word := token.strip(strip))]


def _word_hashes(tokens: list[str]) -> np.ndarray:
    """Return each token's 64-bit BLAKE2b hash, computed once per process for each distinct word."""
    known = _WORD_HASHES
    new = {token for token in tokens if token not in known}
    if new:
        if len(known) + len(new) > _WORD_HASHES_KEPT:
            known.clear()
            new = set(tokens)
        for token in new:
            known[token] = int.from_bytes(hashlib.blake2b(token.encode(), digest_size=8).digest())
    return np.fromiter(map(known.__getitem__, tokens), dtype=np.uint64, count=len(tokens))


def shingle_hashes(body: str) -> np.ndarray:
    """Return the 64-bit hashes of the body's word shingles (SHINGLE_WORDS words each; the whole text when it is
    shorter), in the order they occur, repeats kept.

    A shingle's hash mixes its words' hashes, each multiplied by its own odd constant, in numpy: one vector
    operation per piece instead of a string and a BLAKE2b call per shingle."""
    tokens = words(body)
    if not tokens:
        return np.empty(0, dtype=np.uint64)
    hashed = _word_hashes(tokens)
    width = min(SHINGLE_WORDS, len(tokens))
    count = len(tokens) - width + 1
    mixed = hashed[:count] * _POSITION[0]
    for offset in range(1, width):
        mixed += hashed[offset : offset + count] * _POSITION[offset]
    mixed ^= mixed >> np.uint64(29)  # spread the high bits, which the permutations below keep, over all bits
    mixed *= _MIX
    return mixed ^ (mixed >> np.uint64(32))


def shingle_set(hashes: np.ndarray) -> np.ndarray:
    """Return the sorted distinct upper 32 bits of shingle hashes: what Jaccard similarity and containment are
    computed on (`matching.similarity`)."""
    return np.unique((hashes >> _SHIFT).astype(np.uint32))


def shingles(body: str) -> np.ndarray:
    """Return the body's shingle set (`shingle_set`)."""
    return shingle_set(shingle_hashes(body))


def signature(hashes: np.ndarray, permutations: int = PERMUTATIONS) -> np.ndarray:
    """Return the MinHash signature (the first `permutations` values) of a non-empty array of shingle hashes;
    repeats do not change it.

    The shift keeps the upper 32 bits of each permuted hash; it commutes with the minimum, so it is taken once."""
    permuted = np.multiply.outer(hashes, _A[:permutations])
    permuted += _B[:permutations]
    return permuted.min(axis=0) >> _SHIFT


def band_keys(body: str) -> list[int]:
    """Return the body's band keys (`sketch`)."""
    return sketch(body)[0]


def sketch(body: str) -> tuple[list[int], bytes]:
    """Return the body's BANDS band keys (signed 64-bit, one per band, the band's number mixed in) and the
    OPENING_BANDS keys of its first OPENING_SHINGLES shingles' signature (a cut copy or an RSS excerpt of a long
    piece has a Jaccard similarity to it far below what the whole-body bands find, but the same opening), with its
    shingle set as bytes (`shingle_set`, for the writer's verification); no keys when the body has fewer than
    MIN_SHINGLES distinct shingles (see the module's note)."""
    if not ENABLED:
        return [], b""
    hashes = shingle_hashes(body)
    found = shingle_set(hashes)
    if len(found) < MIN_SHINGLES:
        return [], b""
    opening = signature(hashes[:OPENING_SHINGLES], OPENING_BANDS * BAND_ROWS)
    return _keys(np.concatenate([signature(hashes), opening])), found.tobytes()


def _keys(values: np.ndarray) -> list[int]:
    """Mix each band's rows and its number into one signed 64-bit key, for all bands at once."""
    rows = values.reshape(-1, BAND_ROWS)
    mixed = np.arange(1, len(rows) + 1, dtype=np.uint64) * _ROW[BAND_ROWS]
    for row in range(BAND_ROWS):
        mixed += rows[:, row] * _ROW[row]
    mixed ^= mixed >> np.uint64(31)
    mixed *= _MIX
    mixed ^= mixed >> np.uint64(29)
    return mixed.view(np.int64).tolist()
