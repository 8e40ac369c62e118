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
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

import ftfy
from wordfreq import zipf_frequency

_ENTITY_RE = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# Characters that UTF-8 read as cp1252 or Latin-1 leaves behind; a cheap `in` test for them guards the regex, and
# the regex guards ftfy, which is slow.
_MOJIBAKE_MARKERS = ("\u00c3", "\u00c2", "\u00e2", "\u00d0", "\u00d1", "\u00c5", "\u00c4", "\ufffd")
_MOJIBAKE_HINT_RE = re.compile(
    "[\u00c2-\u00c5\u00d0\u00d1\u00e2][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]|\ufffd"
)
_INVISIBLES = ("\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
_INVISIBLE_RE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]+")
# A single pass finds every candidate; a search per mark would scan the text six times.
_SPACE_PUNCT_RE = re.compile(r" [,.;:!?]")
# What may follow punctuation that had a stray space before it; anything else (" .5", " ...") is left alone.
_AFTER_PUNCTUATION = frozenset(' \t\n"”’)')
_BEFORE_PUNCTUATION = frozenset('"”’)')
_QUOTES = frozenset('"“”')
_DOUBLE_SPACE_RE = re.compile(r"(?<=\S)[ \t]{2,}(?=\S)")
_TOKEN_RE = re.compile(r"[^\W_]+(?:-[^\W_]+)+")
_DIGIT_RE = re.compile(r"\d")
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
        return {"rule": self.rule, "before": self.before, "after": self.after, "position": self.position,
                "field": self.field}  # fmt: skip


@dataclass
class CleanResult:
    text: str
    edits: list[Edit] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class PieceVocabulary(Mapping):
    """How often each lower-case word occurs in a piece, counted on demand.

    Behaves like the `Counter` that `build_vocabulary(..., eager=True)` returns (keys are lower-case; a word counts
    in its lower-case, capitalised, title-case and upper-case spellings), but only counts the few words the hyphen
    rule asks about, because counting every word of every piece costs more than the rest of the cleaning.
    Hyphenated forms count whole: "kazakh" is not counted inside "kazakh-russian".
    """

    def __init__(self, text: str):
        self._text = text
        self._counts: dict[str, int] = {}

    def __getitem__(self, word: str) -> int:
        count = self._counts.get(word)
        if count is None:
            count = self._counts[word] = self._count(word)
        return count

    def get(self, word: str, default: int = 0) -> int:
        return self[word] or default

    def __iter__(self):
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def _all(self) -> Counter:
        return Counter(_VOCABULARY_RE.findall(self._text.lower()))

    def _count(self, word: str) -> int:
        if not word:
            return 0
        # Count the spellings a lower-case word takes in running text ("kazakh", "Kazakh", "KAZAKH",
        # "Anti-Russian") rather than lower-casing the whole piece, which costs more than a few searches.
        forms = {word, word.capitalize(), word.upper(), word.title()}
        return sum(self._count_form(form) for form in forms)

    def occurs(self, word: str, times: int = 1) -> bool:
        """Return whether `word` occurs at least `times` times; stops counting there, unlike a lookup."""
        found = self._counts.get(word)
        if found is not None:
            return found >= times
        forms = {word, word.capitalize(), word.upper(), word.title()}
        total = 0
        for form in forms:
            total += self._count_form(form, times - total)
            if total >= times:
                return True
        self._counts[word] = total
        return False

    def _count_form(self, form: str, limit: int | None = None) -> int:
        text, size, count = self._text, len(form), 0
        index = text.find(form)
        while index != -1 and (limit is None or count < limit):
            before = text[index - 1] if index else " "
            after = text[index + size] if index + size < len(text) else " "
            if not (before.isalnum() or before == "-" or after.isalnum() or after == "-"):
                count += 1
            index = text.find(form, index + size)
        return count


def _occurs(vocabulary: Mapping[str, int], word: str, times: int = 1) -> bool:
    if isinstance(vocabulary, PieceVocabulary):
        return vocabulary.occurs(word, times)
    return vocabulary.get(word, 0) >= times


def build_vocabulary(*texts: str, eager: bool = False) -> Mapping[str, int]:
    """Return how often each word (lower-cased, hyphenated forms whole) occurs in `texts`.

    The piece's own words are the best evidence for names the frequency lists do not know: if "Kazakhstan" occurs
    in the piece, "Kaz-akhstan" is broken. Counts are taken lazily unless `eager` asks for a full `Counter`.
    """
    vocabulary = PieceVocabulary("\n".join(texts))
    return vocabulary._all() if eager else vocabulary


def clean_text(text: str, *, vocabulary: Mapping[str, int] | None = None, field: str = "body") -> CleanResult:
    """Return `text` repaired (Unicode, entities, mojibake, invisible characters, spacing, stray quotes, words
    broken by stray hyphens) with the list of edits made and warnings for repairs left undone."""
    result = CleanResult(text=text)
    if not text:
        return result
    if not text.isascii():
        if not unicodedata.is_normalized("NFC", text):
            _apply_whole(result, "unicode-nfc", unicodedata.normalize("NFC", text), field)
        if any(marker in result.text for marker in _MOJIBAKE_MARKERS) and _MOJIBAKE_HINT_RE.search(result.text):
            _apply_whole(result, "mojibake", ftfy.fix_text(result.text, _FTFY_CONFIG), field)
        if any(char in result.text for char in _INVISIBLES):
            _apply_spans(
                result,
                "invisible-character",
                [(m.start(), m.end(), "") for m in _INVISIBLE_RE.finditer(result.text)],
                field,
            )
    if "&" in result.text:
        spans = [(m.start(), m.end(), html.unescape(m[0])) for m in _ENTITY_RE.finditer(result.text)]
        _apply_spans(result, "html-entity", spans, field)
        # An unescaped entity may reveal mojibake or invisible characters; they are rare enough to leave to a rerun.
    if "%" in result.text:
        _apply_spans(result, "stray-quote", _stray_quote_spans(result.text), field)
    _apply_spans(result, "space-before-punctuation", _space_before_punctuation_spans(result.text), field)
    if "  " in result.text or "\t" in result.text:
        spans = [(m.start(), m.end(), " ") for m in _DOUBLE_SPACE_RE.finditer(result.text)]
        _apply_spans(result, "double-space", spans, field)
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


def _apply_spans(result: CleanResult, rule: str, spans: list[tuple], field: str) -> None:
    """Replace each (start, end, replacement[, shown_start, shown_end]) span, in order, recording an edit for each.

    The optional shown range widens what the edit shows around the change ("administration ," rather than " ,").
    """
    if not spans:
        return
    text = result.text
    pieces, last = [], 0
    for span in sorted(spans):
        start, end, replacement = span[:3]
        if start < last:
            continue
        shown_start, shown_end = span[3:] if len(span) == 5 else (start, end)
        before = text[shown_start:shown_end]
        after = text[shown_start:start] + replacement + text[end:shown_end]
        result.edits.append(Edit(rule, before, after, shown_start, field))
        pieces.append(text[last:start])
        pieces.append(replacement)
        last = end
    pieces.append(text[last:])
    result.text = "".join(pieces)


def _stray_quote_spans(text: str) -> list[tuple]:
    """Find quote marks stranded between a number and its percent sign ("70 “%")."""
    spans = []
    index = text.find("%")
    while index != -1:
        k = index
        while k > 0 and text[k - 1] == " ":
            k -= 1
        if k > 0 and text[k - 1] in _QUOTES:
            j = k - 1
            while j > 0 and text[j - 1] == " ":
                j -= 1
            if j > 0 and text[j - 1].isdigit():
                spans.append((j, index, "", max(0, j - 2), index + 1))
        index = text.find("%", index + 1)
    return spans


def _space_before_punctuation_spans(text: str) -> list[tuple]:
    """Find spaces before closing punctuation ("administration ,", "said ."), skipping " .5", " ..." and " – "."""
    spans, size = [], len(text)
    for match in _SPACE_PUNCT_RE.finditer(text):
        index = match.start()
        end = index + 2
        start = index
        while start > 0 and text[start - 1] == " ":
            start -= 1
        previous = text[start - 1] if start else ""
        if (end == size or text[end] in _AFTER_PUNCTUATION) and (previous.isalnum() or previous in _BEFORE_PUNCTUATION):
            word = start - 1
            while word > 0 and (text[word - 1].isalnum() or text[word - 1] in "'’-"):
                word -= 1
            spans.append((start, end, text[index + 1], word, end))
    return spans


def _hyphenated_tokens(text: str):
    """Yield (start, end) of each word with an inner hyphen, skipping numbers, URLs, e-mail addresses and paths."""
    size = len(text)
    index = text.find("-")
    while index != -1:
        if not (0 < index < size - 1 and text[index - 1].isalnum() and text[index + 1].isalnum()):
            index = text.find("-", index + 1)
            continue
        # Start the word search at the last space: scanning back character by character costs far more.
        chunk = max(text.rfind(" ", 0, index), text.rfind("\n", 0, index)) + 1
        match = _TOKEN_RE.search(text, chunk)
        while match and match.end() <= index:
            match = _TOKEN_RE.search(text, match.end())
        if match is None:
            return
        start, end = match.span()
        before = text[start - 1] if start else " "
        after = text[end] if end < size else " "
        glued = before in "@/._\\" or after in "@/_\\" or (after == "." and text[end + 1 : end + 2].isalnum())
        if not glued and not _DIGIT_RE.search(match[0]):
            yield start, end
        index = text.find("-", end)


def _repair_hyphens(result: CleanResult, vocabulary: Mapping[str, int], field: str) -> None:
    text = result.text
    protected = []
    if "@" in text or "://" in text or "www." in text:
        protected = [m.span() for m in _PROTECTED_RE.finditer(text)]
    spans = []
    for start, end in _hyphenated_tokens(text):
        token = text[start:end]
        if _settled_compound(token) or (protected and any(s < end and start < e for s, e in protected)):
            continue
        repaired, unsure = _repair_token(token, vocabulary)
        if unsure:
            result.warnings.append(f"Left “{token}” as it is: it may be “{unsure}” with a stray hyphen.")
        if repaired != token:
            spans.append((start, end, repaired))
    _apply_spans(result, "broken-word", spans, field)


@lru_cache(maxsize=65536)
def _settled_compound(token: str) -> bool:
    """Return whether every hyphen of `token` is a compound's on the word lists' evidence alone, whatever the piece
    says. Cached: most hyphenated words are such compounds, and they recur from piece to piece."""
    parts = token.split("-")
    for left, right in pairwise(parts):
        if right[:1].isupper() and not right.isupper():
            continue
        left_listed, right_listed, joined_zipf, _, side_zipf = _evidence(left.lower(), right.lower())
        if not (left_listed and right_listed and joined_zipf < JOINED_ZIPF and joined_zipf < side_zipf + JOINED_MARGIN):
            return False
    return True


def _repair_token(token: str, vocabulary: Mapping[str, int]) -> tuple[str, str | None]:
    """Decide each hyphen of `token` from left to right; return the repaired token and a suggestion left undone."""
    parts = token.split("-")
    segments = [parts[0]]
    unsure = None
    for part in parts[1:]:
        decision = decide_hyphen(segments[-1], part, vocabulary, token=token)
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
COMMON_JOINED_ZIPF = 4.0  # and this frequent, a common one ("states", "agent", "nor")
JOINED_MARGIN = 0.5  # how much more frequent than both sides a joined form of two words must be
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


def _listed_word(part: str) -> bool:
    """Return whether the word lists know `part` as a word (or a hyphen prefix) in its own right."""
    if len(part) <= 2:
        return part in SHORT_WORDS
    return part in PREFIXES or english_zipf(part) >= (SHORT_WORD_ZIPF if len(part) == 3 else WORD_ZIPF)


def decide_hyphen(left: str, right: str, vocabulary: Mapping[str, int], *, token: str | None = None) -> HyphenDecision:
    """Decide whether the hyphen between `left` and `right` is a stray one inside a word or a real compound's.

    Evidence for a stray hyphen: a part that is not a word while the joined form is a known word, or occurs
    unhyphenated elsewhere in the piece. Evidence for a compound: both parts are words, a capitalised right part
    ("anti-Russian", "Nur-Sultan"), or the whole hyphenated `token` occurring more than once in the piece.
    """
    if right[:1].isupper() and not right.isupper():
        return HyphenDecision.KEEP
    lower_left, lower_right = left.lower(), right.lower()
    joined = lower_left + lower_right
    left_listed, right_listed, joined_zipf, unknown_part, side_zipf = _evidence(lower_left, lower_right)
    if left_listed and right_listed:
        # Two short strings that happen to be words ("terri-tory") inside a common word far more frequent than both.
        if joined_zipf >= COMMON_JOINED_ZIPF and joined_zipf >= side_zipf + JOINED_MARGIN:
            return HyphenDecision.JOIN
        if joined_zipf >= JOINED_ZIPF and _occurs(vocabulary, joined):
            return HyphenDecision.UNSURE
        return HyphenDecision.KEEP
    # A side that is no word and a common joined form ("sta-tes"), or a side unknown to the lists altogether and a
    # known joined form ("pr-oducts"): the lists settle it without consulting the piece.
    if joined_zipf >= COMMON_JOINED_ZIPF or (unknown_part and joined_zipf >= JOINED_ZIPF):
        return HyphenDecision.JOIN
    in_piece = _occurs(vocabulary, joined)
    if not in_piece:
        # Names newer than the word lists count as words where the piece also uses them on their own.
        left_word = left_listed or (len(lower_left) > 3 and _occurs(vocabulary, lower_left))
        right_word = right_listed or (len(lower_right) > 3 and _occurs(vocabulary, lower_right))
        # Damage strikes at random, so the same hyphenated form twice is a spelling.
        if (left_word and right_word) or (token is not None and _occurs(vocabulary, token.lower(), 2)):
            return HyphenDecision.KEEP
    if in_piece or joined_zipf >= JOINED_ZIPF:
        return HyphenDecision.JOIN
    if joined_zipf >= RARE_JOINED_ZIPF and unknown_part:
        return HyphenDecision.JOIN
    if joined_zipf >= WARN_JOINED_ZIPF:
        return HyphenDecision.UNSURE
    return HyphenDecision.KEEP


@lru_cache(maxsize=131072)
def _evidence(left: str, right: str) -> tuple[bool, bool, float, bool, float]:
    """Return what the word lists say about a hyphen's two sides: each a word?, the joined form's frequency,
    whether either side is unknown altogether, and the frequency of the more common side. Cached: the same
    compounds recur from piece to piece."""
    joined_zipf = english_zipf(left + right)
    left_zipf, right_zipf = english_zipf(left), english_zipf(right)
    unknown_part = min(left_zipf, right_zipf) < UNKNOWN_ZIPF
    return _listed_word(left), _listed_word(right), joined_zipf, unknown_part, max(left_zipf, right_zipf)
