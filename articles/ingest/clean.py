"""Repair the damage syndicated text carries, recording every change so an editor can see and undo it.

Each rule runs as one pass over the text; an `Edit`'s `position` is the character offset in the text as that pass
received it (earlier passes applied). A change the rules are not sure of is left alone and reported as a warning.
"""

import difflib
import html
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

import ftfy

from articles.ingest.frequencies import DEFAULT_LANGUAGE, has_word_list
from articles.ingest.hyphens import build_vocabulary, hyphen_repairs

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
        return {
            "rule": self.rule,
            "before": self.before,
            "after": self.after,
            "position": self.position,
            "field": self.field,
        }


@dataclass
class CleanResult:
    text: str
    edits: list[Edit] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def clean_text(
    text: str,
    *,
    vocabulary: Mapping[str, int] | None = None,
    field: str = "body",
    language: str | None = DEFAULT_LANGUAGE,
) -> CleanResult:
    """Return `text` repaired (Unicode, entities, mojibake, invisible characters, spacing, stray quotes, words
    broken by stray hyphens) with the list of edits made and warnings for repairs left undone.

    Stray hyphens are judged on `language`'s word lists (an ISO 639-1 code); a language without them
    (`language=None`, or one wordfreq has no list for) leaves every hyphen as it is.
    """
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
    if "-" in result.text and has_word_list(language):
        _repair_hyphens(result, vocabulary if vocabulary is not None else build_vocabulary(text), field, language)
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


def _repair_hyphens(result: CleanResult, vocabulary: Mapping[str, int], field: str, language: str) -> None:
    spans, warnings = hyphen_repairs(result.text, vocabulary, language)
    result.warnings += warnings
    _apply_spans(result, "broken-word", spans, field)
