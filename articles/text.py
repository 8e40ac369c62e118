"""Small text functions the models and the import pipeline share; pure Python, no Django settings needed.

They run once per imported piece, so each is written to be cheap on a 5 KB body: `str` methods in C rather than
Unicode regular expressions, which cost several times more here.
"""

import hashlib
import unicodedata

from django.utils.text import slugify

_NOT_WORDS = {"##", "-", "–", "—", "•"}


def collapse_spaces(text: str) -> str:
    """Return `text` with every run of whitespace made one space and the ends trimmed."""
    return " ".join(text.split())


def name_key(name: str) -> str:
    """Return the identity of a person's or outlet's name: case, compatibility forms and spacing ignored."""
    return collapse_spaces(unicodedata.normalize("NFKC", name)).casefold()


def count_words(text: str) -> int:
    """Return the number of words: whitespace-separated tokens, not counting heading and bullet markers."""
    return _word_count(text.split(), text)


def _word_count(tokens: list[str], text: str) -> int:
    """Return how many of `text`'s `tokens` are words, not markers."""
    # A marker absent from the text is absent from its tokens: skip counting it (most pieces hold one or two).
    return len(tokens) - sum(tokens.count(marker) for marker in _NOT_WORDS if marker in text)


def content_fingerprint(body: str) -> str:
    """Return the SHA-256 of the body with case, spacing and Unicode compatibility forms normalised.

    Two copies of a story that differ only in line breaks, spacing or case have the same fingerprint; an empty
    body has none. Punctuation counts: the cleaner has already repaired the damage that differs between copies.
    """
    return fingerprint_and_word_count(body)[0]


def fingerprint_and_word_count(body: str) -> tuple[str, int]:
    """Return `content_fingerprint(body)` and `count_words(body)`, from one split of the body.

    Every imported piece and every saved article needs both, and splitting a body into words is most of the cost
    of each. Case folding neither makes nor removes whitespace nor markers, so the folded text has the same tokens
    to count; only a body that compatibility normalisation changes (rare: ligatures, full-width forms) is split
    twice.
    """
    if body.isascii() or unicodedata.is_normalized("NFKC", body):
        tokens = body.casefold().split()
        word_count = _word_count(tokens, body)
    else:
        tokens = unicodedata.normalize("NFKC", body).casefold().split()
        word_count = count_words(body)
    if not tokens:
        return "", word_count
    return hashlib.sha256(" ".join(tokens).encode()).hexdigest(), word_count


def slug_for(text: str, max_length: int = 200) -> str:
    """Return a URL slug for `text` (ASCII, at most `max_length` characters), or "untitled".

    Not unique by itself: two titles may give the same slug, so whoever stores one checks the table (the unique
    constraints, `ingest.plan.free_slugs`)."""
    return slugify(text)[:max_length].strip("-") or "untitled"
