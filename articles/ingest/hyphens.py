"""Tell a word broken by a stray hyphen (`Kaz-akhstan`, `sta-tes`) from a real compound (`anti-Russian`).

The evidence is the piece's language's word lists (wordfreq's frequencies, `frequencies.py`; English unless told
otherwise) and the piece's own vocabulary:
a name the lists do not know counts as a word where the piece also uses it whole. `hyphen_repairs` finds the
hyphenated words of a text and decides each hyphen; `clean.py` applies the repairs and logs them.
"""

import enum
import re
from collections import Counter
from collections.abc import Mapping
from functools import lru_cache
from itertools import pairwise

from articles.ingest.frequencies import DEFAULT_LANGUAGE, zipf

_TOKEN_RE = re.compile(r"[^\W_]+(?:-[^\W_]+)+")
_DIGIT_RE = re.compile(r"\d")
_PROTECTED_RE = re.compile(r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_VOCABULARY_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


class PieceVocabulary(Mapping):
    """How often each lower-case word occurs in a piece, counted on demand.

    Keys are lower-case; a word counts in its lower-case, capitalised, title-case and upper-case spellings. Only the
    few words the hyphen rule asks about are counted, because counting every word of every piece costs more than
    the rest of the cleaning.
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


def build_vocabulary(*texts: str) -> PieceVocabulary:
    """Return how often each word (lower-cased, hyphenated forms whole) occurs in `texts`, counted on demand.

    The piece's own words are the best evidence for names the frequency lists do not know: if "Kazakhstan" occurs
    in the piece, "Kaz-akhstan" is broken.
    """
    return PieceVocabulary("\n".join(texts))


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


def hyphen_repairs(
    text: str, vocabulary: Mapping[str, int], *, language: str = DEFAULT_LANGUAGE
) -> tuple[list[tuple[int, int, str]], list[str]]:
    """Return the (start, end, repaired word) spans of the words in `text` broken by a stray hyphen, and a warning
    for each hyphen that may be stray but was left as it is. `language` chooses the word lists (it must have them:
    `frequencies.has_word_list`)."""
    protected = []
    if "@" in text or "://" in text or "www." in text:
        protected = [m.span() for m in _PROTECTED_RE.finditer(text)]
    spans, warnings = [], []
    for start, end in _hyphenated_tokens(text):
        token = text[start:end]
        if _settled_compound(token, language) or (protected and any(s < end and start < e for s, e in protected)):
            continue
        repaired, unsure = _repair_token(token, vocabulary, language)
        if unsure:
            warnings.append(f"Left “{token}” as it is: it may be “{unsure}” with a stray hyphen.")
        if repaired != token:
            spans.append((start, end, repaired))
    return spans, warnings


@lru_cache(maxsize=65536)
def _settled_compound(token: str, language: str = DEFAULT_LANGUAGE) -> bool:
    """Return whether every hyphen of `token` is a compound's on the word lists' evidence alone, whatever the piece
    says. Cached: most hyphenated words are such compounds, and they recur from piece to piece."""
    parts = token.split("-")
    for left, right in pairwise(parts):
        if right[:1].isupper() and not right.isupper():
            continue
        left_listed, right_listed, joined_zipf, _, side_zipf = _evidence(left.lower(), right.lower(), language)
        if not (left_listed and right_listed and joined_zipf < JOINED_ZIPF and joined_zipf < side_zipf + JOINED_MARGIN):
            return False
    return True


def _repair_token(
    token: str, vocabulary: Mapping[str, int], language: str = DEFAULT_LANGUAGE
) -> tuple[str, str | None]:
    """Decide each hyphen of `token` from left to right; return the repaired token and a suggestion left undone."""
    parts = token.split("-")
    segments = [parts[0]]
    unsure = None
    for part in parts[1:]:
        decision = decide_hyphen(segments[-1], part, vocabulary, token=token, language=language)
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
OTHER_SHORT_WORD_ZIPF = 4.5  # a one- or two-letter part of a language other than English: only its common words

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


def _listed_word(part: str, language: str = DEFAULT_LANGUAGE) -> bool:
    """Return whether the word lists know `part` as a word (or a hyphen prefix) in its own right.

    The short words and prefixes above are English; another language's short parts count as words when common.
    """
    if language != DEFAULT_LANGUAGE:
        return zipf(part, language) >= (OTHER_SHORT_WORD_ZIPF if len(part) <= 2 else WORD_ZIPF)
    if len(part) <= 2:
        return part in SHORT_WORDS
    return part in PREFIXES or zipf(part) >= (SHORT_WORD_ZIPF if len(part) == 3 else WORD_ZIPF)


def decide_hyphen(
    left: str,
    right: str,
    vocabulary: Mapping[str, int],
    *,
    token: str | None = None,
    language: str = DEFAULT_LANGUAGE,
) -> HyphenDecision:
    """Decide whether the hyphen between `left` and `right` is a stray one inside a word or a real compound's.

    Evidence for a stray hyphen: a part that is not a word while the joined form is a known word, or occurs
    unhyphenated elsewhere in the piece. Evidence for a compound: both parts are words, a capitalised right part
    ("anti-Russian", "Nur-Sultan"), or the whole hyphenated `token` occurring more than once in the piece.
    """
    if right[:1].isupper() and not right.isupper():
        return HyphenDecision.KEEP
    lower_left, lower_right = left.lower(), right.lower()
    joined = lower_left + lower_right
    left_listed, right_listed, joined_zipf, unknown_part, side_zipf = _evidence(lower_left, lower_right, language)
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
def _evidence(left: str, right: str, language: str = DEFAULT_LANGUAGE) -> tuple[bool, bool, float, bool, float]:
    """Return what the word lists say about a hyphen's two sides: each a word?, the joined form's frequency,
    whether either side is unknown altogether, and the frequency of the more common side. Cached: the same
    compounds recur from piece to piece."""
    joined_zipf = zipf(left + right, language)
    left_zipf, right_zipf = zipf(left, language), zipf(right, language)
    unknown_part = min(left_zipf, right_zipf) < UNKNOWN_ZIPF
    listed = _listed_word(left, language), _listed_word(right, language)
    return *listed, joined_zipf, unknown_part, max(left_zipf, right_zipf)
