"""Read a byline ("By A and B", "Web Desk", "APP") into ordered author names of the right kind.

Names are names in any script: capitalised words in scripts with letter case (Latin with its diacritics, Cyrillic,
Greek), and after "By" (or "Por", "Par", "Von", "Di", "Автор:") words of scripts without case (Arabic, Chinese,
Devanagari).
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from articles.ingest.frequencies import english_zipf

PERSON, DESK, AGENCY = "person", "desk", "agency"

# News agencies by the names they sign with; keys are casefolded.
AGENCIES = {
    name.casefold(): name
    for name in (
        "AFP",
        "AP",
        "APP",
        "ANI",
        "Anadolu",
        "Anadolu Agency",
        "Associated Press",
        "Agence France-Presse",
        "Bernama",
        "dpa",
        "EFE",
        "IANS",
        "INP",
        "IRNA",
        "Kyodo",
        "NAN",
        "News Agency of Nigeria",
        "NNA",
        "Online",
        "PPI",
        "Press Trust of India",
        "PTI",
        "Reuters",
        "TASS",
        "UNB",
        "UNI",
        "WAM",
        "Xinhua",
        "Yonhap",
    )
}

# A desk signs with a word for a newsroom role rather than a person's name.
_DESK_RE = re.compile(
    r"^(?:(?:our|staff|special|from\s+our)\s+)?(?:[A-Z][\w&.’'-]*\s+){0,3}?"
    r"(?:desk|report|reporter|reporters|correspondent|correspondents|bureau|editorial(?:\s+board)?|"
    r"news\s+service|newsroom|team|staff|monitoring|editor|editors|contributor)$",
    re.IGNORECASE,
)
_BY_RE = re.compile(r"^(?:written\s+|reported\s+|compiled\s+)?by[:\s]+", re.IGNORECASE)
# The word for "by" in other languages. Each is also a word or a name of its own ("Di Stefano", "Von der Leyen"), so
# it counts only before two or more words, the first of them capitalised (checked in _by_word_length).
_BY_ABROAD_RE = re.compile(r"^(?:(?:por|par|von|di)\s+(?=\S+\s+\S)|авторы?:\s*)", re.IGNORECASE)
# "in Islamabad", "from Lagos" after the names: where the writer was, not who (_place_tail_start).
_PLACE_WORDS = frozenset(["in", "from", "at"])
_PLACE_WORD_CHARS = frozenset("’'.-")
_WORD_RE = re.compile(r"\S+")
# "and" in any case; the other languages' "and" in lower case only, so that an initial ("John E Smith") stays.
_SEPARATOR_RE = re.compile(
    r"\s*(?:,\s*and\s+|,\s*&\s*|,\s*|\s+and\s+|\s+(?-i:und|et|y|e|и)\s+|\s*&\s*|\s*/\s*)\s*", re.IGNORECASE
)
_CLOSING_RE = re.compile(r"[.!?;:,…]$")
_NAME_WORD_RE = re.compile(r"^(?:[A-Z][a-z’'`-]*[a-z][\w’'-]*|[A-Z]\.(?:[A-Z]\.)*|[A-Z][a-z]?(?:-[A-Z][a-z]+)+)$")
# Besides letters and combining marks, what a name word may hold: apostrophes, hyphens, initials' full stops, and
# the dots that join the parts of a name transcribed into Chinese or Japanese.
_NAME_PUNCTUATION = frozenset("’'`-.·・")
CASED, UNCASED = "cased", "uncased"
# Lower-case particles that belong inside people's names.
_PARTICLES = {
    "al",
    "bin",
    "binti",
    "da",
    "de",
    "del",
    "der",
    "di",
    "dos",
    "du",
    "el",
    "ibn",
    "la",
    "le",
    "ul",
    "van",
    "von",
}
# Small-letter words a byline may hold between names: particles, the word for "and", where the writer was.
_JOINING_WORDS = frozenset([*_PARTICLES, "and", "und", "et", "y", "e", "и", *_PLACE_WORDS])
_FUNCTION_WORDS = {
    "a",
    "about",
    "after",
    "all",
    "an",
    "at",
    "for",
    "from",
    "how",
    "in",
    "is",
    "more",
    "new",
    "not",
    "of",
    "on",
    "over",
    "the",
    "this",
    "to",
    "what",
    "when",
    "why",
    "with",
}
# Common English words score around 5 and above; people's names mostly lower (even "John Smith" averages 5.1).
# A line whose words average more is a heading such as "Key Points", not a name.
_COMMON_WORDS_ZIPF = 5.15
MAX_NAME_WORDS = 4
MAX_NAME_CHARS = 80
# Long enough for a byline of a dozen names ("By A, B, C, ... and L").
MAX_BYLINE_CHARS = 600
# Without "By" a name line is two or three words; four capitalised words are far more often a heading.
MAX_BARE_NAME_WORDS = 3


@dataclass(frozen=True)
class AuthorName:
    name: str
    kind: str


def parse_byline(line: str) -> list[AuthorName]:
    """Return the authors named in a byline line, in their order, each with its kind (person, desk or agency).

    Handles "By A", "A and B", "A, B and C", "A | Outlet", "A in Islamabad" and agency or desk signatures, so the
    loader can link each article to one row per author.
    """
    return list(_parse_byline(line))


# Bylines repeat from piece to piece (the same reporters, desks and agencies), and reading one takes several
# regular expressions and word-frequency lookups: both readings are cached (callers pass only lines short enough
# to be bylines).
@lru_cache(maxsize=4096)
def _parse_byline(line: str) -> tuple[AuthorName, ...]:
    names_part = _names_part(line)
    if not names_part:
        return ()
    whole = _classify(names_part)
    # "Staff Report" and "Associated Press" are one signature even though they could be split.
    if whole.kind != PERSON:
        return (whole,)
    authors = []
    for piece in _SEPARATOR_RE.split(names_part):
        piece = piece.strip(" .,;")
        if piece:
            authors.append(_classify(piece))
    return tuple(authors)


def looks_like_byline(line: str) -> bool:
    """Return whether `line` reads as a byline rather than a subheading, title or sentence.

    A byline is one to four name words per author (optionally after "By"), or a desk or agency signature, with no
    closing punctuation; lines of ordinary English words in title case are headings.
    """
    stripped = line.strip()
    # Sentences end with punctuation: they are turned away here, before they can fill the cache.
    if not stripped or len(stripped) > MAX_BYLINE_CHARS or _CLOSING_RE.search(stripped.rstrip(" |")):
        return False
    return _looks_like_byline(stripped)


def starts_like_byline(line: str) -> bool:
    """Return whether `line` opens as a byline does ("By" and a name), whether or not it reads as one.

    "By the numbers" does not (a small letter follows "By"), nor "By Monday, prices had doubled." (a sentence: it
    ends like one, with small-letter words in it that names do not have).
    """
    text = line.strip()
    match = _BY_RE.match(text)
    words = text[match.end() :].split() if match else []
    if not words or not (words[0][0].isupper() or _name_word_kind(words[0].rstrip(",;")) == UNCASED):
        return False
    small = [word for word in words[1:] if word[0].islower() and word.rstrip(",;").casefold() not in _JOINING_WORDS]
    return not (_CLOSING_RE.search(text) and small)


@lru_cache(maxsize=4096)
def _looks_like_byline(stripped: str) -> bool:
    if any(char.isdigit() for char in stripped):
        return False
    has_by = _by_length(stripped) > 0
    names_part = _names_part(stripped)
    if not names_part:
        return False
    whole = _classify(names_part)
    if whole.kind != PERSON:
        return True
    words_seen = []
    for piece in _SEPARATOR_RE.split(names_part):
        piece = piece.strip()
        if not piece:
            return False
        if _classify(piece).kind != PERSON:
            continue
        words = piece.split()
        if not (1 if has_by else 2) <= len(words) <= (MAX_NAME_WORDS if has_by else MAX_BARE_NAME_WORDS):
            return False
        if len(piece) > MAX_NAME_CHARS:
            return False
        for word in words:
            if word.casefold() in _PARTICLES:
                continue
            kind = _name_word_kind(word)
            if word.casefold() in _FUNCTION_WORDS or not kind or (kind == UNCASED and not has_by):
                return False
            if kind == CASED:
                words_seen.append(word)
    if not words_seen:
        return True
    mean = sum(english_zipf(word.casefold()) for word in words_seen) / len(words_seen)
    return has_by or mean < _COMMON_WORDS_ZIPF


def strip_by(line: str) -> str:
    """Return `line` without its opening "By" (or its word in another language)."""
    text = line.strip()
    return text[_by_length(text) :]


def _by_length(text: str) -> int:
    """Return the length of the "By" that opens `text` (with what follows it up to the names), or 0."""
    match = _BY_RE.match(text)
    if match:
        return match.end()
    match = _BY_ABROAD_RE.match(text)
    if not match:
        return 0
    first = text[match.end() :].split(None, 1)[0]
    if match.group().rstrip().endswith(":") or (first[0].isupper() and first.casefold() not in _PARTICLES):
        return match.end()
    return 0


def _names_part(line: str) -> str:
    text = line.strip()
    # "A | Outlet" and "A | Outlet | date": only the first cell names people.
    text = text.split("|", 1)[0].strip()
    text = text[_by_length(text) :]
    text = text[: _place_tail_start(text)]
    return text.strip(" ,;-–—")


def _place_tail_start(text: str) -> int:
    """Return where a place ("in Islamabad", "from Lagos", "at Kyiv": one or more capitalised words) ends the names
    in `text`, or the length of `text` when none does."""
    words = list(_WORD_RE.finditer(text))
    place = len(words)
    while place > 0 and _is_place_word(words[place - 1].group()):
        place -= 1
    if place == len(words) or place < 2 or words[place - 1].group() not in _PLACE_WORDS:
        return len(text)
    return words[place - 1].start()


def _is_place_word(word: str) -> bool:
    return word[0].isupper() and all(char.isalnum() or char in _PLACE_WORD_CHARS for char in word)


@lru_cache(maxsize=65536)
def _name_word_kind(word: str) -> str:
    """Return CASED for a capitalised name word of a script with letter case, UNCASED for a word of a script
    without it, and "" for a word that is not a name's.

    ASCII words go through one regular expression. Other words are read as a shape of the same regular expression
    (A for a capital, a for a small letter), so that "Müller", "Казакова" and "Παπαδόπουλος" follow the rules
    "Miller" does.
    """
    if word.isascii():
        return CASED if _NAME_WORD_RE.match(word) else ""
    shape, cased, uncased = [], False, False
    for char in unicodedata.normalize("NFC", word):
        if char.isupper() or char.istitle():
            shape.append("A")
            cased = True
        elif char.islower():
            shape.append("a")
            cased = True
        elif char in _NAME_PUNCTUATION or unicodedata.category(char) == "Lm":
            shape.append("'" if char not in "-." else char)  # modifier letters: the apostrophes of Ukrainian names
        elif char.isalpha():
            shape.append("o")
            uncased = True
        elif unicodedata.category(char)[0] == "M":
            shape.append("m")  # a combining mark belongs to the letter before it
        else:
            return ""
    if cased and not uncased:
        return CASED if _NAME_WORD_RE.match("".join(shape).replace("m", "a")) else ""
    if uncased and not cased and shape[0] == "o":
        return UNCASED
    return ""


def _classify(name: str) -> AuthorName:
    name = " ".join(name.split())
    agency = AGENCIES.get(name.casefold())
    if agency:
        return AuthorName(agency, AGENCY)
    if _DESK_RE.match(name):
        return AuthorName(name, DESK)
    return AuthorName(name, PERSON)
