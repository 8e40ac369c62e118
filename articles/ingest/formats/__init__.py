"""Read documents of many items (RSS, RDF, Atom, JSON Feed, JSON lines, WordPress exports) into the pipeline.

Three steps, each pure and without a database: `sniff_format(data)` says what a document is, by its content;
`iter_raw_items(source, fmt)` cuts it into items, streamed, each with its own bytes exactly as they arrived;
`read_item(raw)` reads one item's fields. `articles.ingest.parse.parse_item` turns the fields into the same
`ParsedPiece` a text piece gives, and `articles.ingest.prepare.prepare_item` cleans it.
"""

import codecs
import io
from collections.abc import Iterator
from dataclasses import dataclass

from articles.ingest.formats.fields import (
    ATOM,
    HTML,
    ITEM_FORMATS,
    JSONFEED,
    JSONL,
    RDF,
    RSS,
    TEXT,
    UNKNOWN,
    WXR,
    XML_FORMATS,
    FeedMeta,
    FormatError,
    ItemError,
    ItemFields,
    ItemSkipped,
    RawItem,
)
from articles.ingest.formats.sniff import SNIFF_BYTES, sniff_format

__all__ = [
    "ATOM",
    "HTML",
    "ITEM_FORMATS",
    "JSONFEED",
    "JSONL",
    "RDF",
    "RSS",
    "TEXT",
    "UNKNOWN",
    "WXR",
    "FeedMeta",
    "FormatError",
    "ItemError",
    "ItemFields",
    "ItemSkipped",
    "RawItem",
    "RawItemStream",
    "ReadItem",
    "iter_raw_items",
    "read_item",
    "read_items",
    "refusal",
    "sniff_format",
]


def refusal(fmt: str) -> str | None:
    """Return why a document of format `fmt` cannot be split into items, or None when it can."""
    if fmt in ITEM_FORMATS:
        return None
    if fmt == HTML:
        return "This is a web page, not a feed."
    if fmt == TEXT:
        return "This is a plain-text piece, not a feed; import it as a piece."
    return "This is not a feed in any format newsroom reads (RSS, RDF, Atom, JSON Feed, JSON lines, WordPress export)."


class RawItemStream:
    """The items of one document, read as they are iterated; `meta` is what the document says of itself.

    `meta` is filled in as the document is read (the feed's title is known before its first item, in every feed
    that puts it first) and is complete once iteration ends, with the reader's complaints in `meta.warnings`.
    """

    def __init__(self, items: Iterator[RawItem], meta: FeedMeta):
        self._items = iter(items)
        self.meta = meta

    def __iter__(self) -> "RawItemStream":
        return self

    def __next__(self) -> RawItem:
        return next(self._items)


def iter_raw_items(source: bytes | io.IOBase, fmt: str | None = None) -> RawItemStream:
    """Return the items of `source` (bytes or a binary stream) in format `fmt` (sniffed when None), streamed.

    Raise `FormatError` for a document that holds no items to read: a web page, a plain-text piece, an unknown
    format. A damaged document is not an error: what can be read is, and the rest is reported in `meta.warnings`.
    """
    stream = io.BytesIO(source) if isinstance(source, bytes | bytearray | memoryview) else source
    if fmt is None:
        head = stream.read(SNIFF_BYTES)
        fmt = sniff_format(head)
        stream = io.BufferedReader(_Rejoined(head, stream))
    reason = refusal(fmt)
    if reason:
        raise FormatError(reason)
    # The splitters and readers load lxml and feedparser: imported on first use, so that importing the pipeline for
    # text pieces (which imports this package's fields) stays light.
    from articles.ingest.formats.jsondocs import JsonFeedSplitter, iter_json_lines
    from articles.ingest.formats.xmlsplit import XmlItemSplitter

    meta = FeedMeta(format=fmt)
    if fmt in XML_FORMATS:
        stream = _as_utf8_if_utf16(stream, meta)
        return RawItemStream(iter(XmlItemSplitter(stream.read, fmt, meta)), meta)
    if fmt == JSONFEED:
        return RawItemStream(iter(JsonFeedSplitter(stream.read, meta)), meta)
    meta.encoding = "utf-8"
    return RawItemStream(iter_json_lines(stream, meta), meta)


def read_item(raw: RawItem) -> ItemFields:
    """Return the fields of one item; raise `ItemError` (it cannot be read) or `ItemSkipped` (not an article).

    Never raises anything else: an unexpected failure of a reader is reported as that item's `ItemError`, so one
    bad item never stops the others.
    """
    reader = _readers().get(raw.format)
    if reader is None:
        raise ItemError(f"Items of format “{raw.format}” cannot be read.")
    try:
        return reader(raw)
    except (ItemError, ItemSkipped):
        raise
    except Exception as error:
        raise ItemError(f"Item {raw.index + 1} could not be read ({type(error).__name__}: {error}).") from error


def _readers() -> dict:
    from articles.ingest.formats.feeds import read_feed_item
    from articles.ingest.formats.jsondocs import read_jsonfeed_item, read_jsonl_item
    from articles.ingest.formats.wxr import read_export_item

    return {
        RSS: read_feed_item,
        RDF: read_feed_item,
        ATOM: read_feed_item,
        WXR: read_export_item,
        JSONFEED: read_jsonfeed_item,
        JSONL: read_jsonl_item,
    }


@dataclass
class ReadItem:
    """One item of a document with its fields, or why it has none (`error`, or `skipped` for non-articles)."""

    raw: RawItem
    fields: ItemFields | None = None
    error: str = ""
    skipped: str = ""


def read_items(source: bytes | io.IOBase, fmt: str | None = None) -> Iterator[ReadItem]:
    """Yield every item of `source` read, warning on an id that an earlier item of the same document used."""
    first_seen: dict[str, int] = {}
    for raw in iter_raw_items(source, fmt):
        try:
            fields = read_item(raw)
        except ItemSkipped as skipped:
            yield ReadItem(raw, skipped=str(skipped))
            continue
        except ItemError as error:
            yield ReadItem(raw, error=str(error))
            continue
        if fields.external_id:
            earlier = first_seen.setdefault(fields.external_id, raw.index)
            if earlier != raw.index:
                fields.warnings.append(
                    f"The id “{fields.external_id}” was already used by item {earlier + 1} of this document."
                )
        yield ReadItem(raw, fields)


class _Rejoined(io.RawIOBase):
    """A stream whose first bytes were read to sniff it: they are read again first."""

    def __init__(self, head: bytes, rest):
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self._head:
            if size is None or size < 0:
                data, self._head = self._head + self._rest.read(), b""
                return data
            data, self._head = self._head[:size], self._head[size:]
            return data
        return self._rest.read(size) if size is not None else self._rest.read()

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _as_utf8_if_utf16(stream, meta: FeedMeta):
    """Return `stream` as UTF-8 when it is UTF-16 (its markup is then not ASCII bytes the splitter can see)."""
    head = stream.read(512)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif head.startswith(b"<\x00"):
        encoding = "utf-16-le"
    elif head.startswith(b"\x00<"):
        encoding = "utf-16-be"
    else:
        return _Rejoined(head, stream)
    text = (head + stream.read()).decode(encoding, errors="replace").removeprefix("\ufeff")
    meta.warnings.append("The feed is written in UTF-16; its items' bytes are kept re-encoded as UTF-8.")
    if text.startswith("<?xml"):
        text = '<?xml version="1.0" encoding="utf-8"?>' + text[text.find("?>") + 2 :]
    return io.BytesIO(text.encode("utf-8"))
