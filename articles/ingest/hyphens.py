"""Tell a word broken by a stray hyphen (`Kaz-akhstan`, `sta-tes`) from a real compound (`anti-Russian`).

The evidence is the English word lists (wordfreq's frequencies and a spelling dictionary that knows inflected
forms, `frequencies.py`), morphology (a right part that is only a suffix, `mark-ing`; a left part that is only a
prefix, `dis-closed`), and the piece's own vocabulary: a name the lists do not know counts as a word where the piece
also uses it whole. `hyphen_repairs` finds the hyphenated words of a text and decides each hyphen; `clean.py`
applies the repairs and logs them. A piece is judged on its own language's frequencies (wordfreq's list for it);
the dictionary and the rules of word shape (suffixes, prefixes, function words) are English, so other languages are
repaired on frequencies and the piece's vocabulary alone, and a language without a word list not at all
(`has_word_list`).
"""

import enum
import re
from collections import Counter
from collections.abc import Mapping
from functools import lru_cache
from itertools import pairwise

from articles.ingest.frequencies import DEFAULT_LANGUAGE, english_zipf, has_word_list, in_dictionary, zipf

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
        self._written: dict[str, bool] = {}

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

    def occurs_as_written(self, form: str) -> bool:
        """Return whether `form` occurs as a word in exactly these letters and case ("NewsBTC", "Addo"); cached,
        since a settled compound's check and its hyphen's decision both ask."""
        found = self._written.get(form)
        if found is None:
            found = self._written[form] = self._count_form(form, 1) >= 1
        return found

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
    text: str, vocabulary: Mapping[str, int], language: str = DEFAULT_LANGUAGE
) -> tuple[list[tuple[int, int, str]], list[str]]:
    """Return the (start, end, repaired word) spans of the words in `text` broken by a stray hyphen, and a warning
    for each hyphen that may be stray but was left as it is. A language without word lists gets no repairs."""
    if not has_word_list(language):
        return [], []
    protected = []
    if "@" in text or "://" in text or "www." in text:
        protected = [m.span() for m in _PROTECTED_RE.finditer(text)]
    spans, warnings = [], []
    for start, end in _hyphenated_tokens(text):
        token = text[start:end]
        if protected and any(s < end and start < e for s, e in protected):
            continue
        mid_sentence = _mid_sentence(text, start)
        if _expanded_acronym(text, start, token):
            spans.append((start, end, token.replace("-", "")))
            continue
        if _settled_compound(token, language) and not _written_closed(token, vocabulary, mid_sentence):
            continue
        repaired, unsure = _repair_token(token, vocabulary, language, mid_sentence=mid_sentence)
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
        lower_left, lower_right = left.lower(), right.lower()
        left_listed, right_listed, joined_zipf, _, side_zipf = _evidence(lower_left, lower_right, language)
        if not (left_listed and right_listed and joined_zipf < JOINED_ZIPF and joined_zipf < side_zipf + JOINED_MARGIN):
            return False
        english = language == DEFAULT_LANGUAGE
        if english and (
            in_dictionary(lower_left + lower_right) or lower_right in SUFFIXES or lower_left in BOUND_PREFIXES
        ):
            return False
    return True


_LOWER_RUN_RE = re.compile(r"[a-z]{3,}")
_EXPANSION_WORD_RE = re.compile(r"[^\W\d_]+")
EXPANSION_WORDS = 16  # how far back an acronym's spelled-out name may begin


def _expanded_acronym(text: str, start: int, token: str) -> bool:
    """Return whether `token`, in capitals and in brackets, is the acronym of the words just before the bracket
    broken by a stray hyphen: "Citizens Network For Peace and Development in Nigeria (CN-FPDN)". Its letters must
    be the initials of those words, in order and ending with the last one, small words such as "and" or "in"
    skipped where their initial is not wanted."""
    letters = token.replace("-", "")
    if not (letters.isalpha() and letters.isupper() and len(letters) >= 3) or text[start - 1 : start] != "(":
        return False
    words = _EXPANSION_WORD_RE.findall(text[max(0, start - 200) : start - 1])[-EXPANSION_WORDS:]
    wanted = letters.lower()
    for word in reversed(words):  # match the initials from the last word back
        if wanted and word[0].lower() == wanted[-1]:
            wanted = wanted[:-1]
        elif word[0].isupper() or word.lower() not in PHRASE_LINKS:
            return False
        if not wanted:
            return True
    return False


def _written_closed(token: str, vocabulary: Mapping[str, int], mid_sentence: bool) -> bool:
    """Return whether the piece writes the capitalised `token` (one hyphen) as one word in the token's own letters
    ("Addo", "Osun", "Biden") while the hyphenated form occurs only here: a name's place inside a sentence, and at
    a sentence's start too when the piece never writes the word in lower case (a name, not "However")."""
    if token.count("-") != 1 or not token[:1].isupper() or not isinstance(vocabulary, PieceVocabulary):
        return False
    closed = token.replace("-", "")
    if not vocabulary.occurs_as_written(closed) or vocabulary.occurs(token.lower(), 2):
        return False
    return mid_sentence or not vocabulary.occurs_as_written(closed.lower())


# Small words inside a phrase made one word ("vis-a-vis", "aid-de-camp", "up-to-date"): its hyphens all stay.
PHRASE_LINKS = frozenset(
    [
        "a",
        "an",
        "and",
        "de",
        "di",
        "du",
        "el",
        "la",
        "le",
        "of",
        "on",
        "in",
        "to",
        "by",
        "for",
        "the",
        "or",
        "at",
        "with",
    ]
)
# Titles whose full stop does not end a sentence: a capital after one marks a name ("Dr. Asu-e").
HONORIFICS = frozenset(
    ["dr", "mr", "mrs", "ms", "prof", "gen", "sen", "gov", "rev", "col", "capt", "lt", "sgt", "st", "hon"]
)


def _mid_sentence(text: str, start: int) -> bool:
    """Return whether the word at `start` follows a word or a comma in its sentence: a capital there marks a name,
    not a sentence's first word ("said Tah-ir", not "Kohl-rabi is")."""
    index = start - 1
    while index >= 0 and text[index] in " \t":
        index -= 1
    if index > 0 and text[index] == ".":
        return text[max(0, index - 5) : index].split(" ")[-1].lower() in HONORIFICS
    return index >= 0 and (text[index].isalnum() or text[index] in ",;")


def _repair_token(
    token: str, vocabulary: Mapping[str, int], language: str = DEFAULT_LANGUAGE, *, mid_sentence: bool = False
) -> tuple[str, str | None]:
    """Decide each hyphen of `token` from left to right; return the repaired token and a suggestion left undone."""
    parts = token.split("-")
    if len(parts) > 2 and any(part.lower() in PHRASE_LINKS for part in parts[1:-1]):
        return token, None  # a phrase made one word: "vis-a-vis", "aid-de-camp", "up-to-date"
    segments = [parts[0]]
    unsure = None
    for part in parts[1:]:
        decision = decide_hyphen(
            segments[-1], part, vocabulary, token=token, mid_sentence=mid_sentence, language=language
        )
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
    return part in PREFIXES or english_zipf(part) >= (SHORT_WORD_ZIPF if len(part) == 3 else WORD_ZIPF)


def decide_hyphen(
    left: str,
    right: str,
    vocabulary: Mapping[str, int],
    *,
    token: str | None = None,
    mid_sentence: bool = False,
    language: str = DEFAULT_LANGUAGE,
) -> HyphenDecision:
    """Decide whether the hyphen between `left` and `right` is a stray one inside a word or a real compound's.

    Evidence for a stray hyphen: a part that is not a word while the joined form is a known word, or occurs
    unhyphenated elsewhere in the piece. Evidence for a compound: both parts are words, a capitalised right part
    ("anti-Russian", "Nur-Sultan"), or the whole hyphenated `token` occurring more than once in the piece.
    """
    if right[:1].isupper() and not right.isupper():
        return HyphenDecision.KEEP  # "anti-Russian", "Nur-Sultan"
    shape = _mixed_case_decision(left, right, language)
    if shape is not None:
        return shape
    if len(right) == 1 and right.isupper() and left.isupper() and not _occurs(vocabulary, (left + right).lower()):
        return HyphenDecision.KEEP  # "CD-R", unless the piece writes the letters together ("ICP-C", "ICPC")
    if left.lower() == right.lower():
        return HyphenDecision.KEEP  # "ha-ha", "pom-pom"
    lower_left, lower_right = left.lower(), right.lower()
    joined = lower_left + lower_right
    left_listed, right_listed, joined_zipf, unknown_part, side_zipf = _evidence(lower_left, lower_right, language)
    single = token is None or token.count("-") == 1  # "aid-de-camp", "up-to-date": leave a phrase's hyphens
    if single and _written_closed(f"{left}-{right}", vocabulary, mid_sentence):
        return HyphenDecision.JOIN  # a name the piece also writes whole, in these letters: "Bi-den" beside "Biden"
    decision = None
    if single and language == DEFAULT_LANGUAGE:  # the rules of word shape are English's
        decision = _word_shape_decision(left, right, joined_zipf, left_listed, right_listed, mid_sentence)
    if decision is not None:
        return decision
    # A name the piece also writes whole ("Asu-e" where it says "Asue" elsewhere), unless it repeats the hyphenated
    # form too.
    name_in_piece = single and mid_sentence and left[:1].isupper() and right.islower() and _occurs(vocabulary, joined)
    if name_in_piece and (token is None or not _occurs(vocabulary, token.lower(), 2)):
        return HyphenDecision.JOIN
    if left_listed and right_listed:
        # Two short strings that happen to be words ("terri-tory") inside a common word far more frequent than both.
        if joined_zipf >= COMMON_JOINED_ZIPF and joined_zipf >= side_zipf + JOINED_MARGIN:
            return HyphenDecision.JOIN
        if joined_zipf >= JOINED_ZIPF and _occurs(vocabulary, joined):
            # The piece writes the closed word at least twice and this hyphenated form only here ("Bit-coin" in a
            # piece about Bitcoin): the random break, not a second spelling. Once is too little: a warning.
            if single and _occurs(vocabulary, joined, 2) and not (token and _occurs(vocabulary, token.lower(), 2)):
                return HyphenDecision.JOIN
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


# Endings that are no word in their own right after a hyphen: a right part that is one of them was cut off its
# word ("mark-ing", "Abduct-ed", "enforce-ment", "Progress-ives", "Trade-rs", "bull-ish", "candid-ate").
SUFFIXES = frozenset(
    [
        "ing",
        "ings",
        "ed",
        "er",
        "ers",
        "rs",
        "s",
        "es",
        "est",
        "ment",
        "ments",
        "ive",
        "ives",
        "ish",
        "ate",
        "ates",
        "ated",
        "ating",
        "ation",
        "ations",
        "tion",
        "tions",
        "sion",
        "sions",
        "ly",
        "ness",
        "ity",
        "ities",
        "ies",
        "ous",
        "ful",
        "able",
        "ible",
        "ance",
        "ence",
        "ism",
        "ist",
        "ists",
        "ize",
        "ized",
        "izes",
        "ise",
        "ised",
        "ises",
        "al",
        "ally",
        "ial",
        "ian",
        "ians",
        "ent",
        "ents",
        "ant",
        "ants",
        "ery",
        "ory",
    ]
)
# Prefixes English writes closed ("disclosed", "misread", "unveil"): before a hyphen they are a broken word's
# first letters when the joined form is a word. "un" stands here too: "un-American" keeps by its capital.
BOUND_PREFIXES = frozenset(["dis", "mis", "un"])
# Hyphen prefixes that keep their hyphen before a word when the closed form is rarer than the word itself
# ("co-worker", "pre-war", "non-profit"); re-, de-, ex- and un- are written closed unless the vowels clash.
OPEN_PREFIXES = frozenset(PREFIXES - {"re", "de", "ex", "un"})
# Words that end compounds ("set-up", "log-in", "add-on", "go-to") and small words that begin them
# ("up-front", "in-depth", "on-site", "by-law"): two of them side by side ("up-on", "in-to") are one word.
PARTICLES = frozenset(
    ["up", "in", "on", "out", "off", "by", "to", "of", "at", "go", "do", "over", "down", "back", "away"]
)
# Small words no compound begins with ("the-re", "be-cause", "to-ugh", "so-me", "a-go"); a hyphen after one is a
# broken word's when the joined form is a word.
FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "be",
        "to",
        "for",
        "of",
        "per",
        "and",
        "but",
        "or",
        "nor",
        "so",
        "as",
        "if",
        "is",
        "it",
        "its",
        "his",
        "her",
        "he",
        "she",
        "we",
        "they",
    ]
)
# Small words no compound ends with ("Lab-our", "ano-the-r"), unlike particles ("set-up").
RIGHT_FUNCTION_WORDS = frozenset(
    ["the", "our", "your", "their", "his", "its", "and", "are", "was", "were", "has", "had"]
)
FRAGMENTS_ZIPF = 2.0  # a dictionary word split into two non-words this frequent is joined without the piece's help
# Letters that begin compounds whose closed form is also a word ("e-mail", "x-ray"); after any other single letter
# a hyphen whose joined form is a word is a stray one ("c-rudest", "s-colding", "t-his").
LETTER_PREFIXES = frozenset(["e", "x"])
# A joined form this much more frequent than the rarer side is the word, not a compound of the two ("be-cause").
COMPOUND_MARGIN = 1.0
CLOSED_PREFIX_MARGIN = 1.5  # how much rarer than the bare word a closed re-, de-, ex- or un- form may be and win
NAME_ZIPF = 1.5  # a capitalised joined form this frequent is a name the lists know ("Tah-ir", "Ademo-la")


def _mixed_case_decision(left: str, right: str, language: str) -> HyphenDecision | None:
    """Decide a hyphen in a word of capitals by the shape of its letters, or return None.

    A capital inside a lower-case run is a brand's or an acronym's ("NewsBTC"): a right part that starts lower-case
    and has a capital later ("Ne-wsBTC"), or a left part that ends in a capital after lower-case letters before a
    right part of capitals ("NewsB-TC"), is one broken word. A word in capitals with its last letter cut off is
    broken when the letters together spell a word ("JANUAR-Y", "BLOOD-Y"), unlike "CD-R" or "PLAN-B".
    """
    if right[:1].islower() and any(letter.isupper() for letter in right[1:]) and left[:1].isupper():
        return HyphenDecision.JOIN
    if right.isupper() and left[-1:].isupper() and _LOWER_RUN_RE.search(left):
        return HyphenDecision.JOIN  # "NewsB-TC"; a short lower-case run is an abbreviation's: "PhD-MBA" stays
    if len(right) == 1 and right.isupper() and left.isupper() and len(left) > 2:
        joined = (left + right).lower()
        if language == DEFAULT_LANGUAGE and in_dictionary(joined) and english_zipf(joined) >= JOINED_ZIPF:
            return HyphenDecision.JOIN
    return None


def _unknown(part: str) -> bool:
    """Return whether no English list knows the lower-case `part` at all (a fragment, or a name they lack)."""
    return english_zipf(part) == 0 and not in_dictionary(part)


def _ize(word: str) -> str:
    """Return the -ize spelling of a British -ise word ("actualise", "actualised"), which the dictionary may know
    alone; other words as they are."""
    for ending, american in (("isation", "ization"), ("ising", "izing"), ("ised", "ized"), ("ises", "izes")):
        if word.endswith(ending):
            return word[: -len(ending)] + american
    return word[:-3] + "ize" if word.endswith("ise") else word


def _known_word(word: str, zipf: float) -> bool:
    """Return whether the lower-case `word` is a word: in the spelling dictionary or frequent enough."""
    return zipf >= JOINED_ZIPF or in_dictionary(word)


def _word_shape_decision(
    left: str, right: str, joined_zipf: float, left_listed: bool, right_listed: bool, mid_sentence: bool
) -> HyphenDecision | None:
    """Decide the hyphen by the shape of its parts (a suffix, a prefix, a letter, small words), or return None."""
    lower_left, lower_right = left.lower(), right.lower()
    joined = lower_left + lower_right
    if not right.islower() or not (left.islower() or left[1:].islower() or len(left) == 1):
        return None
    name_like = mid_sentence and left[0].isupper() and not left_listed and lower_left not in PREFIXES
    # A name broken in two, neither half a word ("Tah-ir", "Ademo-la", "Bo-la", "Kele-chi").
    if name_like and joined_zipf >= NAME_ZIPF and (not right_listed or joined_zipf > english_zipf(lower_left)):
        return HyphenDecision.JOIN
    if mid_sentence and left[0].isupper() and len(lower_left) <= 2 and len(lower_right) >= 5 and _unknown(lower_right):
        return HyphenDecision.JOIN  # a name's first letters split off a rest no list knows: "N-dujihe", "Ok-pebholo"
    unknown_side = (len(lower_left) > 2 and _unknown(lower_left)) or (len(lower_right) > 2 and _unknown(lower_right))
    if unknown_side and any(
        in_dictionary(form) and english_zipf(form) >= FRAGMENTS_ZIPF for form in {joined, _ize(joined)}
    ):
        return HyphenDecision.JOIN  # one side no list knows, the whole a word in use: "rec-alibrate", "act-ualise"
    if (
        len(lower_left) <= 2
        and not left_listed
        and len(lower_right) > 3
        and joined_zipf >= UNKNOWN_ZIPF
        and english_zipf(lower_right) == 0
        and not in_dictionary(lower_right)
    ):
        return HyphenDecision.JOIN  # a fragment of one or two letters before a string no list knows: "lo-adshedding"
    if (
        joined_zipf >= FRAGMENTS_ZIPF
        and not (left_listed or right_listed)
        and lower_left not in PREFIXES
        and not (in_dictionary(lower_left) or in_dictionary(lower_right))
        and in_dictionary(joined)
    ):
        return HyphenDecision.JOIN  # neither side a word, the whole one: "vilifi-cation", "ti-dings", "recali-brate"
    # Neither side a word and the right one a fragment of one or two letters: "Godswil-l", "lita-ny".
    short_fragment = len(lower_right) <= 2 and lower_right not in SHORT_WORDS and len(lower_left) > 2
    left_word = left_listed or lower_left in PREFIXES or in_dictionary(lower_left)
    if short_fragment and not left_word and joined_zipf >= UNKNOWN_ZIPF:
        return HyphenDecision.JOIN
    if not _known_word(joined, joined_zipf):
        return None
    if lower_left in PREFIXES and lower_right not in PREFIXES:
        # A prefix before a word that begins with a vowel keeps its hyphen ("re-election", "co-operation",
        # "re-assess", "anti-abortionist"), and so does one whose closed form is rarer than the bare word
        # ("co-worker", "non-feasance"), unless the prefix is one English writes closed ("re-located").
        if lower_right[0] in "aeiou" and len(lower_right) > 2 and (right_listed or in_dictionary(lower_right)):
            return HyphenDecision.KEEP
        if lower_left in OPEN_PREFIXES and joined_zipf < max(english_zipf(lower_right), JOINED_ZIPF):
            return HyphenDecision.KEEP
        # re-, de-, ex-, un-: written closed, unless the closed form is far rarer than the bare word, as where
        # writers keep the hyphen ("re-run", "re-check", "re-word"); "relocated" is common enough.
        if right_listed and joined_zipf < english_zipf(lower_right) - CLOSED_PREFIX_MARGIN:
            return HyphenDecision.KEEP
        return HyphenDecision.JOIN
    if lower_left in BOUND_PREFIXES:
        return HyphenDecision.JOIN if joined_zipf >= RARE_JOINED_ZIPF else None
    if lower_right in SUFFIXES:
        return HyphenDecision.JOIN
    if len(lower_left) == 1:
        if (lower_left in LETTER_PREFIXES and right_listed) or (lower_left == "a" and joined_zipf < JOINED_ZIPF):
            return HyphenDecision.KEEP  # "e-mail", "a-tiptoe"
        return HyphenDecision.KEEP if len(lower_right) == 1 else HyphenDecision.JOIN  # "a-z" stays
    if len(lower_right) == 1:
        return HyphenDecision.JOIN  # "vilificatio-n", "litan-y", "on-e"
    if joined_zipf < JOINED_ZIPF:
        return None
    if len(lower_right) <= 2 and lower_right not in PARTICLES:
        return HyphenDecision.JOIN
    if lower_left in PARTICLES and lower_right in PARTICLES:
        return HyphenDecision.JOIN
    if lower_left == "in" and joined_zipf >= COMMON_JOINED_ZIPF and joined_zipf > english_zipf(lower_right):
        return HyphenDecision.JOIN  # "in-dependent", "in-formation"; "in-depth", "in-fighting" stay
    if lower_left in FUNCTION_WORDS and lower_right not in PARTICLES:
        return HyphenDecision.JOIN
    if lower_right in RIGHT_FUNCTION_WORDS:
        return HyphenDecision.JOIN  # no compound ends in "our" or "the": "Lab-our"
    if left_listed and right_listed and joined_zipf >= COMMON_JOINED_ZIPF:
        rarer = min(english_zipf(lower_left), english_zipf(lower_right))
        if joined_zipf >= rarer + COMPOUND_MARGIN:
            return HyphenDecision.JOIN
    return None


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
