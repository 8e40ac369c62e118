"""Tell a document's format from its first bytes, never from its file name or the type a server claimed."""

import codecs
import json
import re

from articles.ingest.formats.fields import ATOM, HTML, JSONFEED, JSONL, RDF, RSS, TEXT, UNKNOWN, WXR

# The root element of any feed worth reading starts well within this many bytes (after declarations and comments).
SNIFF_BYTES = 65536

_JSONFEED_VERSION_RE = re.compile(r'"version"\s*:\s*"https?://jsonfeed\.org/version/')
_NAME_RE = re.compile(r"[A-Za-z_][\w.:-]*")
# Elements that open an HTML page or fragment rather than a feed.
_HTML_ROOTS = frozenset(
    {
        "html",
        "head",
        "body",
        "meta",
        "link",
        "title",
        "script",
        "style",
        "div",
        "p",
        "span",
        "table",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "a",
        "br",
        "img",
        "section",
        "article",
        "header",
        "main",
        "nav",
        "form",
        "iframe",
    }
)
_WXR_NAMESPACE = b"wordpress.org/export/"
_WXR_MARKERS = (b":post_type>", b":wxr_version>")


def sniff_format(data: bytes) -> str:
    """Return the format of `data`: text, rss, rdf, atom, jsonfeed, jsonl, wxr, html or unknown.

    Leading byte-order marks, whitespace, XML declarations, processing instructions, comments and document type
    declarations are looked past. `html` is a web page (callers refuse it: it is a page, not a feed); `unknown`
    is markup or JSON of no format read here. Anything that opens like neither markup nor JSON is `text`.
    """
    head = _head_text(data[:SNIFF_BYTES])
    stripped = head.lstrip(" \t\r\n\ufeff")
    if not stripped:
        return TEXT
    if stripped[0] in "{[":
        return _sniff_json(stripped)
    if stripped[0] != "<":
        return TEXT
    return _sniff_markup(stripped, data)


def _head_text(head: bytes) -> str:
    """Return the head of the document as text good enough to read its markup, whatever its encoding."""
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, errors="ignore")
    if head.startswith(b"<\x00") or head.startswith(b"\x00<"):
        return head.decode("utf-16-le" if head[0] else "utf-16-be", errors="ignore")
    # Markup is ASCII in every encoding a feed may declare; Latin-1 maps each byte to one character.
    return head.decode("latin-1")


def _sniff_json(text: str) -> str:
    if text[0] == "[":
        return UNKNOWN
    lines = [line for line in text.split("\n", 3)[:3] if line.strip()]
    first = _json_object(lines[0]) if lines else None
    if first is not None:
        version = first.get("version")
        return JSONFEED if isinstance(version, str) and "jsonfeed.org" in version else JSONL
    if _JSONFEED_VERSION_RE.search(text):
        return JSONFEED
    # A JSON lines file whose first line is damaged is still JSON lines when the next line is an object.
    if len(lines) > 1 and _json_object(lines[1]) is not None:
        return JSONL
    return UNKNOWN


def _json_object(line: str) -> dict | None:
    try:
        value = json.loads(line)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _sniff_markup(text: str, data: bytes) -> str:
    position = 0
    while True:
        position = _skip_space(text, position)
        if text.startswith("<?", position):
            end = text.find("?>", position)
        elif text.startswith("<!--", position):
            end = text.find("-->", position)
        elif text[position : position + 9].upper() == "<!DOCTYPE":
            if text[position + 9 : position + 40].split(None, 1)[:1] in (["html"], ["HTML"], ["html>"], ["HTML>"]):
                return HTML
            end = _doctype_end(text, position)
        else:
            break
        if end < 0:
            return UNKNOWN
        position = text.find(">", end) + 1
    if not text.startswith("<", position):
        return UNKNOWN
    name = _NAME_RE.match(text, position + 1)
    if name is None:
        return TEXT if position == 0 else UNKNOWN
    local = name[0].rsplit(":", 1)[-1]
    if local == "rss":
        return WXR if _is_wordpress_export(data) else RSS
    if local == "RDF":
        return RDF
    if local == "feed":
        return ATOM
    if local.lower() in _HTML_ROOTS:
        return HTML
    return UNKNOWN


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n\ufeff":
        position += 1
    return position


def _doctype_end(text: str, position: int) -> int:
    """Return where a document type declaration ends, past any internal subset in brackets."""
    close = text.find(">", position)
    bracket = text.find("[", position)
    if 0 <= bracket < close:
        subset_end = text.find("]", bracket)
        return -1 if subset_end < 0 else subset_end
    return close


def _is_wordpress_export(data: bytes) -> bool:
    # A WordPress export is RSS in WordPress's export namespace with post types; its feeds never declare it.
    return _WXR_NAMESPACE in data[:SNIFF_BYTES] and any(marker in data for marker in _WXR_MARKERS)
