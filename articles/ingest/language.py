"""The language a piece is written in, told from its text when the piece does not declare one.

pycld2 (Compact Language Detector 2, 83 languages) is a C++ library whose tables are compiled into its wheel:
nothing is loaded from disk or downloaded, and a call costs microseconds. A text too short to tell, or one CLD2
does not call reliable, gets no language ("") and keeps the article's default. The comparison with the other
detectors is `bench/language_detection.py`.
"""

import re

import pycld2

# The title and the first paragraphs say as much as the whole piece, and the detector's cost grows with the text.
SAMPLE_CHARS = 1000
# CLD2 refuses control characters and lone surrogates as invalid UTF-8; they say nothing of the language.
_UNREADABLE_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# CLD2 still uses a few codes that ISO 639-1 has retired.
_CURRENT_CODES = {"iw": "he", "jw": "jv", "in": "id", "mo": "ro"}


def detect_language(text: str) -> str:
    """Return the ISO 639-1 code (lower case; "zh-hant" for traditional Chinese) of the language `text` is written
    in, or "" when the text is too short to tell or the detector does not call its answer reliable."""
    sample = _UNREADABLE_RE.sub(" ", text[:SAMPLE_CHARS])
    try:
        reliable, _size, details = pycld2.detect(sample)
    except pycld2.error:
        return ""
    code = details[0][1].lower() if details else "un"
    if not reliable or code == "un" or code.startswith("xx"):
        return ""
    return _CURRENT_CODES.get(code, code)


def primary_language(tag: str | None) -> str:
    """Return the primary subtag of a language tag, lower-cased ("pt-BR" -> "pt"), or "" for none."""
    return (tag or "").strip().replace("_", "-").split("-")[0].lower()
