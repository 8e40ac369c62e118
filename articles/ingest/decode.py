"""Turn the bytes of a piece into text, or say plainly why they cannot be read."""

import codecs
import re
import unicodedata
from dataclasses import dataclass
from itertools import pairwise

# Legacy encodings tried, in order of preference, when the bytes are not UTF-8. Latin-1 decodes anything, so it
# comes last and only wins when nothing reads better.
LEGACY_ENCODINGS = ("cp1252", "cp1251", "koi8_r", "cp1250", "iso-8859-15", "latin-1")

# Share of control characters above which a file is taken for binary rather than damaged text.
MAX_CONTROL_SHARE = 0.01

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_C1_RE = re.compile(r"[\x80-\x9f]")
# Latin-1 and cp1252 readings of Latin-9 (iso-8859-15): ¤ where the file has €, and symbols beside letters where it
# has Š, š, Ž, ž, Œ, œ or Ÿ ("c½ur" for "cœur").
_LATIN9_AS_LATIN1_RE = re.compile(
    r"\xa4|(?<=[^\W\d_])[\xa6\xa8\xb4\xb8\xbc-\xbe]|[\xa6\xa8\xb4\xb8\xbc-\xbe](?=[^\W\d_])"
)
# Box drawing and other graphics: what KOI8-R makes of the bytes of Western text.
_GRAPHICS_RE = re.compile("[\u2500-\u25ff\u2320\u2321]")
_LETTER_RUN_RE = re.compile(r"[^\W\d_]+")
_LINE_END_RE = re.compile(r"\r\n?")


class DecodeError(ValueError):
    """The bytes are not a readable text piece; the message says why in words an operator understands."""


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def decode_bytes(data: bytes, *, max_bytes: int) -> DecodedText:
    """Return the text of `data` and the encoding it was read with, line endings made `\\n`.

    Strict UTF-8 (with or without a BOM) and UTF-16 with a BOM are taken as they are; anything else is read with
    each legacy encoding and the reading that looks most like text is kept, because guessing from byte statistics
    alone mistakes Western European text for other code pages. Raise `DecodeError` for input that is empty,
    blank, too large, binary or unreadable.
    """
    size = len(data)
    if size == 0:
        raise DecodeError("The file is empty.")
    if size > max_bytes:
        raise DecodeError(f"The file is {size:,} bytes, over the limit of {max_bytes:,} bytes.")

    warnings = ()
    text, encoding = _decode_with_bom(data)
    if text is None:
        if b"\x00" in data:
            raise DecodeError("The file looks binary (it contains NUL bytes), not like a text piece.")
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as error:
            if error.reason == "unexpected end of data" and error.end == size:
                # A UTF-8 file cut off inside its last character: keep everything before it.
                text, encoding = data[: error.start].decode("utf-8"), "utf-8"
                warnings = ("The file ends in the middle of a character (it was cut off); that character was dropped.",)
            else:
                text, encoding = _best_legacy_reading(data)

    text = text.removeprefix("\ufeff")
    if "\r" in text:
        text = _LINE_END_RE.sub("\n", text)
    if not text.strip():
        raise DecodeError("The file holds only whitespace, no text.")
    # Printable apart from line breaks (most pieces) means no control character; otherwise count them.
    controls = 0 if text.replace("\n", "").isprintable() else len(_CONTROL_RE.findall(text))
    if "\x00" in text or controls > MAX_CONTROL_SHARE * len(text):
        raise DecodeError(f"The file looks binary ({controls} control characters in {len(text)}), not like text.")
    return DecodedText(text=text, encoding=encoding, warnings=warnings)


def _decode_with_bom(data: bytes) -> tuple[str | None, str]:
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as error:
            raise DecodeError(f"The file starts with a UTF-8 mark but is not valid UTF-8 ({error.reason}).") from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise DecodeError(f"The file starts with a UTF-16 mark but is not valid UTF-16 ({error.reason}).") from None
    return None, ""


def _best_legacy_reading(data: bytes) -> tuple[str, str]:
    best: tuple[float, str, str] | None = None
    for encoding in LEGACY_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = _implausibility(text)
        if best is None or score < best[0]:
            best = (score, text, encoding)
    if best is None:  # pragma: no cover - latin-1 decodes every byte string
        raise DecodeError("The file is not UTF-8 and no known encoding reads it.")
    return best[1], best[2]


def _implausibility(text: str) -> float:
    """Return how unlike ordinary writing `text` is: lower is better."""
    unlikely = _C1_RE.findall(text) + _LATIN9_AS_LATIN1_RE.findall(text) + _GRAPHICS_RE.findall(text)
    penalty = 3.0 * len(unlikely)
    for word in _LETTER_RUN_RE.findall(text):
        if word.isascii():
            continue
        scripts = {_script(char) for char in word}
        if len(scripts) > 1:
            # Latin and Cyrillic inside one word is what a wrong code page produces.
            penalty += 2.0 * len(word)
        elif scripts == {"latin"}:
            accented = sum(not char.isascii() for char in word)
            # A word made mostly of accented letters is Cyrillic or Greek read as Latin-1.
            if accented * 2 > len(word):
                penalty += accented
        # A capital after a small letter inside a word ("зПТПДУЛПК"): KOI8-R and cp1251 put the two cases of the
        # Cyrillic alphabet where the other has the opposite one, so reading one as the other swaps them.
        penalty += sum(1.0 for left, right in pairwise(word) if left.islower() and right.isupper())
    return penalty / max(len(text), 1)


def _script(char: str) -> str:
    if char.isascii():
        return "latin"
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0].lower() or "other"
