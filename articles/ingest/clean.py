"""Repair the damage syndicated text carries, recording every change so an editor can see and undo it.

Each rule runs as one pass over the text; an `Edit`'s `position` is the character offset in the text as that pass
received it (earlier passes applied). A change the rules are not sure of is left alone and reported as a warning.
"""

import difflib
import enum
import html
import re
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import ftfy
from wordfreq import zipf_frequency

_ENTITY_RE = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# Byte pairs that UTF-8 read as cp1252 or Latin-1 leaves behind; ftfy is only worth its cost when one is present.
_MOJIBAKE_HINT_RE = re.compile(
    "[\u00c2-\u00c5\u00c3\u00d0\u00d1\u00d8\u00e2][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]|\ufffd"
)
_INVISIBLE_RE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]+")
# "70 “%": a quote mark between a number and its percent sign belongs to neither.
_STRAY_QUOTE_RE = re.compile(r"(?<=\d)(\s*[\"“”]\s*)(?=%)")
# "administration ," and "said .": a space before closing punctuation that is followed by a space or the end.
# Decimals (" .5"), ellipses (" ..."), dashes and opening brackets or quotes are not matched.
_SPACE_BEFORE_PUNCT_RE = re.compile(r"(?P<word>\w+[\"”’)]?) +(?P<punct>[,.;:!?])(?=[\s\"”’)]|$)")
_DOUBLE_SPACE_RE = re.compile(r"(?<=\S)[ \t]{2,}(?=\S)")
_HYPHENATED_RE = re.compile(r"(?<![\w@/.\-])[^\W_]+(?:-[^\W_]+)+(?![\w@/\-]|\.\w)")
_PROTECTED_RE = re.compile(r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_VOCABULARY_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)


@dataclass(frozen=True)
class Edit:
    rule: str
    before: str
    after: str
    position: int
    field: str = "body"

    def to_dict(self) -> dict:
        """Return the edit as plain JSON-ready data, for the import record and the API."""
        return asdict(self)


@dataclass
class CleanResult:
    text: str
    edits: list[Edit] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def build_vocabulary(*texts: str) -> Counter:
    """Return how often each word (lower-cased, hyphenated forms whole) occurs in `texts`.

    The piece's own words are the best evidence for names the frequency lists do not know: if "Kazakhstan" occurs
    in the piece, "Kaz-akhstan" is broken.
    """
    vocabulary: Counter = Counter()
    for text in texts:
        vocabulary.update(_VOCABULARY_RE.findall(text.lower()))
    return vocabulary


def clean_text(text: str, *, vocabulary: Counter | None = None, field: str = "body") -> CleanResult:
    """Return `text` repaired (Unicode, entities, mojibake, invisible characters, spacing, stray quotes, words
    broken by stray hyphens) with the list of edits made and warnings for repairs left undone."""
    result = CleanResult(text=text)
    if not text:
        return result
    if not unicodedata.is_normalized("NFC", text):
        _apply_whole(result, "unicode-nfc", unicodedata.normalize("NFC", text), field)
    if "&" in result.text:
        _apply_regex(result, "html-entity", _ENTITY_RE, lambda m: html.unescape(m[0]), field)
    if _MOJIBAKE_HINT_RE.search(result.text):
        _apply_whole(result, "mojibake", ftfy.fix_text(result.text, _FTFY_CONFIG), field)
    _apply_regex(result, "invisible-character", _INVISIBLE_RE, lambda m: "", field)
    _apply_regex(result, "stray-quote", _STRAY_QUOTE_RE, lambda m: "", field, context=True)
    _apply_regex(result, "space-before-punctuation", _SPACE_BEFORE_PUNCT_RE, lambda m: m["word"] + m["punct"], field)
    _apply_regex(result, "double-space", _DOUBLE_SPACE_RE, lambda m: " ", field)
    if "-" in result.text:
        _repair_hyphens(result, vocabulary if vocabulary is not None else build_vocabulary(text), field)
    return result


def _apply_whole(result: CleanResult, rule: str, new: str, field: str) -> None:
    """Replace the text by `new`, recording each changed stretch as its own edit."""
    old = result.text
    if new == old:
        return
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            result.edits.append(Edit(rule, old[i1:i2], new[j1:j2], i1, field))
    result.text = new


def _apply_regex(result: CleanResult, rule: str, pattern: re.Pattern, replace, field: str, context=False) -> None:
    text = result.text
    pieces, last = [], 0
    for match in pattern.finditer(text):
        after = replace(match)
        if after == match[0]:
            continue
        start, end = match.span()
        if context:
            # Show the repair with the characters around it ("70 “%" → "70%"), as an editor reads it.
            left = max(0, start - 2)
            result.edits.append(
                Edit(rule, text[left : end + 1], text[left:start] + after + text[end : end + 1], left, field)
            )
        else:
            result.edits.append(Edit(rule, match[0], after, start, field))
        pieces.append(text[last:start])
        pieces.append(after)
        last = end
    if pieces:
        pieces.append(text[last:])
        result.text = "".join(pieces)


def _repair_hyphens(result: CleanResult, vocabulary: Counter, field: str) -> None:
    text = result.text
    protected = [m.span() for m in _PROTECTED_RE.finditer(text)] if ("@" in text or "/" in text) else []
    pieces, last = [], 0
    for match in _HYPHENATED_RE.finditer(text):
        start, end = match.span()
        token = match[0]
        if any(char.isdigit() for char in token) or any(s < end and start < e for s, e in protected):
            continue
        repaired, unsure = _repair_token(token, vocabulary)
        if unsure:
            result.warnings.append(f"Left “{token}” as it is: it may be “{unsure}” with a stray hyphen.")
        if repaired != token:
            result.edits.append(Edit("broken-word", token, repaired, start, field))
            pieces.append(text[last:start])
            pieces.append(repaired)
            last = end
    if pieces:
        pieces.append(text[last:])
        result.text = "".join(pieces)


def _repair_token(token: str, vocabulary: Counter) -> tuple[str, str | None]:
    """Decide each hyphen of `token` from left to right; return the repaired token and a suggestion left undone."""
    parts = token.split("-")
    repeated = vocabulary.get(token.lower(), 0) >= 2
    segments = [parts[0]]
    unsure = None
    for part in parts[1:]:
        decision = decide_hyphen(segments[-1], part, vocabulary, repeated=repeated)
        if decision is HyphenDecision.JOIN:
            segments[-1] += part
        else:
            if decision is HyphenDecision.UNSURE:
                unsure = segments[-1] + part
            segments.append(part)
    return "-".join(segments), unsure


class HyphenDecision(enum.Enum):
    JOIN = "join"
    KEEP = "keep"
    UNSURE = "unsure"


# Thresholds on wordfreq's Zipf scale (log10 of occurrences per billion words; "the" is 7.7, rare words below 3).
WORD_ZIPF = 3.0  # a part this frequent is a word in its own right
SHORT_WORD_ZIPF = 3.5  # three-letter strings are often abbreviations, so they need more
JOINED_ZIPF = 3.0  # a joined form this frequent is a known word
RARE_JOINED_ZIPF = 2.5  # enough when the other part is unknown to the lists altogether
UNKNOWN_ZIPF = 1.0
WARN_JOINED_ZIPF = 1.5

# One- and two-letter strings that stand as words or as prefixes before a hyphen ("e-mail", "X-ray", "co-op",
# "re-election"). Any other fragment this short is a piece of a broken word ("n-or", "ag-ent").
SHORT_WORDS = frozenset(
    [
        "a",
        "i",
        "e",
        "o",
        "t",
        "u",
        "x",
        "ad",
        "ah",
        "am",
        "an",
        "as",
        "at",
        "be",
        "by",
        "co",
        "de",
        "do",
        "ex",
        "go",
        "he",
        "hi",
        "if",
        "in",
        "is",
        "it",
        "me",
        "my",
        "no",
        "of",
        "oh",
        "ok",
        "on",
        "or",
        "ox",
        "pa",
        "re",
        "so",
        "to",
        "tv",
        "uk",
        "un",
        "up",
        "us",
        "we",
    ]
)
# Prefixes written with a hyphen in English; as the left part they make a compound, not a broken word.
PREFIXES = frozenset(
    [
        "anti",
        "bi",
        "co",
        "counter",
        "cross",
        "de",
        "ex",
        "extra",
        "inter",
        "intra",
        "macro",
        "mega",
        "micro",
        "mid",
        "mini",
        "multi",
        "neo",
        "non",
        "post",
        "pre",
        "pro",
        "pseudo",
        "quasi",
        "re",
        "self",
        "semi",
        "sub",
        "super",
        "trans",
        "tri",
        "ultra",
        "un",
        "vice",
    ]
)


@lru_cache(maxsize=131072)
def english_zipf(word: str) -> float:
    """Return wordfreq's English Zipf frequency of a lower-case word, cached because lookups cost ~0.2 ms each."""
    return zipf_frequency(word, "en")


def _is_word(part: str, vocabulary: Counter) -> bool:
    if len(part) <= 2:
        return part in SHORT_WORDS
    if part in PREFIXES or vocabulary.get(part, 0) > 0:
        return True
    return english_zipf(part) >= (SHORT_WORD_ZIPF if len(part) == 3 else WORD_ZIPF)


def decide_hyphen(left: str, right: str, vocabulary: Counter, *, repeated: bool = False) -> HyphenDecision:
    """Decide whether the hyphen between `left` and `right` is a stray one inside a word or a real compound's.

    Evidence for a stray hyphen: a part that is not a word while the joined form is a known word, or occurs
    unhyphenated elsewhere in the piece. Evidence for a compound: both parts are words, a capitalised right part
    ("anti-Russian", "Nur-Sultan"), or the same hyphenated form more than once in the piece.
    """
    if right[:1].isupper() and not right.isupper():
        return HyphenDecision.KEEP
    lower_left, lower_right = left.lower(), right.lower()
    joined = lower_left + lower_right
    in_piece = vocabulary.get(joined, 0) > 0
    if repeated and not in_piece:
        return HyphenDecision.KEEP
    left_word, right_word = _is_word(lower_left, vocabulary), _is_word(lower_right, vocabulary)
    joined_zipf = english_zipf(joined)
    if left_word and right_word:
        if in_piece and joined_zipf >= JOINED_ZIPF:
            return HyphenDecision.UNSURE
        return HyphenDecision.KEEP
    if in_piece or joined_zipf >= JOINED_ZIPF:
        return HyphenDecision.JOIN
    unknown_part = min(english_zipf(lower_left), english_zipf(lower_right)) < UNKNOWN_ZIPF
    if joined_zipf >= RARE_JOINED_ZIPF and unknown_part:
        return HyphenDecision.JOIN
    if joined_zipf >= WARN_JOINED_ZIPF:
        return HyphenDecision.UNSURE
    return HyphenDecision.KEEP
