"""Read a byline ("By A and B", "Web Desk", "APP") into ordered author names of the right kind."""

import re
from dataclasses import dataclass
from functools import lru_cache

from wordfreq import zipf_frequency

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
# "in Islamabad", "from Lagos", ", Islamabad" after the names: where the writer was, not who.
_PLACE_TAIL_RE = re.compile(r"\s+(?:in|from|at)\s+[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*\s*$")
_SEPARATOR_RE = re.compile(r"\s*(?:,\s*and\s+|,\s*&\s*|,\s*|\s+and\s+|\s*&\s*|\s*/\s*)\s*", re.IGNORECASE)
_CLOSING_RE = re.compile(r"[.!?;:,…]$")
_NAME_WORD_RE = re.compile(r"^(?:[A-Z][a-z’'`-]*[a-z][\w’'-]*|[A-Z]\.(?:[A-Z]\.)*|[A-Z][a-z]?(?:-[A-Z][a-z]+)+)$")
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
MAX_BYLINE_CHARS = 120
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

    A byline is one to four capitalised name words per author (optionally after "By"), or a desk or agency
    signature, with no closing punctuation; lines of ordinary English words in title case are headings.
    """
    stripped = line.strip()
    if not stripped or len(stripped) > MAX_BYLINE_CHARS:
        return False
    return _looks_like_byline(stripped)


@lru_cache(maxsize=4096)
def _looks_like_byline(stripped: str) -> bool:
    if any(char.isdigit() for char in stripped):
        return False
    has_by = bool(_BY_RE.match(stripped))
    names_part = _names_part(stripped)
    if not names_part or _CLOSING_RE.search(stripped.rstrip(" |")):
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
        for word in words:
            if word.casefold() in _PARTICLES:
                continue
            if word.casefold() in _FUNCTION_WORDS or not _NAME_WORD_RE.match(word):
                return False
            words_seen.append(word)
    if not words_seen:
        return True
    mean = sum(_english_zipf(word.casefold()) for word in words_seen) / len(words_seen)
    return has_by or mean < _COMMON_WORDS_ZIPF


def _names_part(line: str) -> str:
    text = line.strip()
    # "A | Outlet" and "A | Outlet | date": only the first cell names people.
    text = text.split("|", 1)[0].strip()
    text = _BY_RE.sub("", text)
    text = _PLACE_TAIL_RE.sub("", text)
    return text.strip(" ,;-–—")


def _classify(name: str) -> AuthorName:
    name = " ".join(name.split())
    agency = AGENCIES.get(name.casefold())
    if agency:
        return AuthorName(agency, AGENCY)
    if _DESK_RE.match(name):
        return AuthorName(name, DESK)
    return AuthorName(name, PERSON)


@lru_cache(maxsize=65536)
def _english_zipf(word: str) -> float:
    return zipf_frequency(word, "en")
