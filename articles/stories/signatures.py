"""MinHash signatures over word shingles of a cleaned body, and the LSH band keys stored for them.

Pure Python and numpy, no database and no Django settings: computed in the staging workers with the rest of a
piece's preparation. Each shingle is hashed to 64 bits (each word by BLAKE2b, once; a shingle mixes its words'
hashes: `shingle_hashes`); permutation i is the multiply-shift hash
((a_i * x + b_i) mod 2**64) >> 32 with a_i odd, which numpy's wrapping 64-bit arithmetic computes exactly (a
linear hash modulo a prime that never wraps would order every permutation alike). The constants are seeded, so
every process and every machine computes the same signature for the same text.

Shingles are runs of SHINGLE_WORDS words of the case-folded text with punctuation dropped and numbers kept (the
daily outlooks of one outlet differ mostly in their figures). A piece with fewer than MIN_SHINGLES shingles (a
headline-sized excerpt) gets no bands: it can only be an exact copy (its fingerprint), never a near-copy, since a
handful of shingles says too little to tell a copy from a piece on the same subject.
"""

import hashlib
import os
import re

import numpy as np

SHINGLE_WORDS = 4
PERMUTATIONS = 120
BAND_ROWS = 3
BANDS = PERMUTATIONS // BAND_ROWS  # 40 bands of 3 rows: a pair at Jaccard 0.4 is a candidate 93% of the time
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
_WORD_RE = re.compile(r"\w+")


def words(body: str) -> list[str]:
    """Return the body's words, case-folded, punctuation dropped."""
    return _WORD_RE.findall(body.casefold())


def shingle_hashes(body: str) -> np.ndarray:
    """Return the 64-bit hashes of the body's word shingles (SHINGLE_WORDS words each; the whole text when it is
    shorter), in the order they occur, repeats kept.

    Each distinct word is hashed once (BLAKE2b); a shingle's hash mixes its words' hashes, each multiplied by its
    own odd constant, in numpy: one vector operation per piece instead of a string and a BLAKE2b call per shingle."""
    tokens = words(body)
    if not tokens:
        return np.empty(0, dtype=np.uint64)
    seen: dict[str, int] = {}
    for token in tokens:
        if token not in seen:
            seen[token] = int.from_bytes(hashlib.blake2b(token.encode(), digest_size=8).digest())
    hashed = np.fromiter((seen[token] for token in tokens), dtype=np.uint64, count=len(tokens))
    width = min(SHINGLE_WORDS, len(tokens))
    count = len(tokens) - width + 1
    mixed = np.zeros(count, dtype=np.uint64)
    for offset in range(width):
        mixed += hashed[offset : offset + count] * _POSITION[offset]
    mixed ^= mixed >> np.uint64(29)  # spread the high bits, which the permutations below keep, over all bits
    mixed *= _MIX
    return mixed ^ (mixed >> np.uint64(32))


def shingles(body: str) -> set[int]:
    """Return the set of the body's shingle hashes (what Jaccard similarity and containment are computed on)."""
    return set(shingle_hashes(body).tolist())


def signature(hashes: np.ndarray) -> np.ndarray:
    """Return the MinHash signature (PERMUTATIONS values) of a non-empty array of shingle hashes."""
    return ((np.outer(hashes, _A) + _B) >> _SHIFT).min(axis=0)


def band_keys(body: str) -> list[int]:
    """Return the body's BANDS band keys (signed 64-bit, one per band, the band's number mixed in) and the
    OPENING_BANDS keys of its first OPENING_SHINGLES shingles' signature (a cut copy or an RSS excerpt of a long
    piece has a Jaccard similarity to it far below what the whole-body bands find, but the same opening), or []
    when the body has fewer than MIN_SHINGLES shingles (see the module's note)."""
    if not ENABLED:
        return []
    hashes = shingle_hashes(body)
    found = np.unique(hashes)
    if len(found) < MIN_SHINGLES:
        return []
    keys = _keys(signature(found), range(BANDS))
    return keys + _keys(signature(hashes[:OPENING_SHINGLES]), range(BANDS, BANDS + OPENING_BANDS))


def _keys(values: np.ndarray, bands: range) -> list[int]:
    keys = []
    for i, band in enumerate(bands):
        rows = values[i * BAND_ROWS : (i + 1) * BAND_ROWS]
        digest = hashlib.blake2b(band.to_bytes(2) + rows.tobytes(), digest_size=8).digest()
        keys.append(int.from_bytes(digest, signed=True))
    return keys
