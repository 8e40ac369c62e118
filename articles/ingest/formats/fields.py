"""What the format readers hand each other: one raw item of a document, the feed around it, an item's fields.

Plain data with no behaviour, so a `RawItem` can be pickled to a staging worker and read there on its own.
"""

from dataclasses import dataclass, field
from datetime import datetime

TEXT = "text"
RSS = "rss"
RDF = "rdf"
ATOM = "atom"
JSONFEED = "jsonfeed"
JSONL = "jsonl"
WXR = "wxr"
HTML = "html"
UNKNOWN = "unknown"

# Formats whose documents hold many items; `text` is one piece per file, `html` and `unknown` are refused.
ITEM_FORMATS = (RSS, RDF, ATOM, JSONFEED, JSONL, WXR)
XML_FORMATS = (RSS, RDF, ATOM, WXR)


class FormatError(ValueError):
    """The document cannot be read as the format asked for (or as any feed); the message says why."""


class ItemError(ValueError):
    """One item cannot be read; the message says why in words an operator understands. Other items go on."""


class ItemSkipped(Exception):
    """One item is readable but is not an article (a WordPress page, attachment or menu entry); it says which."""


@dataclass(frozen=True)
class RawItem:
    """One item's own bytes, exactly as they arrived, with what it needs from its document to be read alone.

    `data` is the item's element from its start tag to its end tag (XML), its object (JSON Feed) or its line
    without the line break (JSON lines). `context` is shared by the items of one document: the channel's title,
    link, language and base URL, the namespace declarations in force, the declared encoding, and for some formats
    the feed's default authors (Atom) or the export's author names (WordPress).
    """

    data: bytes
    index: int
    format: str
    context: dict = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    line: int | None = None


@dataclass
class FeedMeta:
    """What a document says about itself; filled in as the document is read, complete once it has been."""

    format: str
    title: str | None = None
    link: str | None = None
    language: str | None = None
    generator: str | None = None
    encoding: str | None = None
    items: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass
class ItemFields:
    """An item's content as its format states it; `parse_item` turns it into a `ParsedPiece`.

    The body is `html` or `text` (never both). `summary` is the item's description or teaser, HTML unless
    `summary_html` is false. `source` is the outlet the item itself names (RSS `<source>`, a JSON line's
    `source`); `source_hint` the feed's own title, used only when nothing better names the outlet.
    """

    format: str
    index: int = 0
    title: str | None = None
    html: str | None = None
    text: str | None = None
    summary: str | None = None
    summary_html: bool = True
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    updated_at: datetime | None = None
    external_id: str | None = None
    link: str | None = None
    source: str | None = None
    source_hint: str | None = None
    language: str | None = None
    status: str | None = None
    encoding: str = "utf-8"
    raw_wordpress: bool = False
    warnings: list[str] = field(default_factory=list)
