"""Cut an XML feed into its items' exact bytes while reading it in chunks, and read what the feed says of itself.

An XML parser cannot say where an element's bytes begin and end, and the item's bytes must be kept exactly as
they arrived; so items are found by their markup alone: a lexer that knows comments, CDATA sections,
processing instructions, declarations and quoted attribute values, and reads nothing else. It tolerates what
broken feeds do (undeclared prefixes, stray `&` and `<`, wrong encodings: none of them is markup it needs), and
holds at most one item and one chunk at a time, so a feed of any length streams in flat memory. What the feed
says of itself (title, link, language, namespaces, base URL) is read from the bytes around the items, with lxml
in its recovering mode.
"""

import codecs
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import lxml.etree

from articles.ingest.decode import DecodeError, decode_bytes
from articles.ingest.formats.fields import ATOM, RDF, WXR, FeedMeta, RawItem
from articles.ingest.formats.html import inline_text

CHUNK_BYTES = 65536
# The bytes around the items (the channel's own elements) are kept up to this size for reading the feed's data.
MAX_CONTAINER_BYTES = 1 << 20
# A start tag whose quotes do not close within this many bytes is broken: it ends at its first `>`.
MAX_TAG_BYTES = 1 << 20

ATOM_NS = "http://www.w3.org/2005/Atom"
RSS10_NS = "http://purl.org/rss/1.0/"
WXR_NS_PREFIX = "http://wordpress.org/export/"
# Namespaces feeds use, by the prefix they are almost always given: an item using one of these prefixes without
# declaring it is read with this meaning (and a warning).
KNOWN_NAMESPACES = {
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "atom": ATOM_NS,
    "media": "http://search.yahoo.com/mrss/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "slash": "http://purl.org/rss/1.0/modules/slash/",
    "sy": "http://purl.org/rss/1.0/modules/syndication/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "georss": "http://www.georss.org/georss",
    "feedburner": "http://rssnamespace.org/feedburner/ext/1.0",
    "wp": "http://wordpress.org/export/1.2/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
}
ITEM_ELEMENT = {ATOM: b"entry"}
_CONTAINER_ENDS = frozenset({b"channel", b"rss", b"RDF", b"feed"})
_START_TAG_RE = re.compile(rb"<([^\s/>]+)((?:[^>\"']|\"[^\"]*\"|'[^']*')*+)>")
_ATTRIBUTE_PREFIX_RE = re.compile(rb"\s([A-Za-z_][\w.-]*):[\w.-]+\s*=")
_XML_DECLARATION_RE = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")
_XML_DECLARATION_TEXT_RE = re.compile(r"\A\s*<\?xml[^>]*\?>")
_INVALID_XML_CHARS_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NAME_START = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_:") | frozenset(range(0x80, 0x100))
# By the names `codecs.lookup` gives them.
_SINGLE_BYTE_CODECS = frozenset({"cp1252", "iso8859-1", "iso8859-15", "ascii", "cp1250", "cp1251", "iso8859-2"})


@dataclass
class _Cut:
    """One item cut from the document: its bytes, what went wrong with its markup, the prefixes it leaves unbound."""

    data: bytes
    warnings: list[str] = field(default_factory=list)
    undeclared: frozenset[str] = frozenset()


def declared_encoding(head: bytes) -> str | None:
    """Return the encoding the XML declaration at the start of `head` names, if any."""
    match = _XML_DECLARATION_RE.match(head[:512])
    return match[1].decode("ascii").lower() if match else None


def decode_xml(data: bytes, declared: str | None, *, what: str = "this item") -> tuple[str, str, list[str]]:
    """Return the text of `data` (an item or the bytes around the items), the encoding used and any warning.

    The declared encoding is trusted when the bytes read in it, except that bytes which are valid UTF-8 are
    read as UTF-8 whatever single-byte encoding was declared (a feed declared ISO-8859-1 but written in UTF-8
    is common). Bytes that do not read in the declared encoding are read like a text piece's (UTF-8, else the
    legacy encoding that reads best), with a warning naming both.
    """
    warnings: list[str] = []
    codec = _codec(declared or "utf-8")
    if codec is None:
        warnings.append(f"The feed declares the unknown encoding “{declared}”; read as UTF-8.")
        codec = "utf-8"
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if codec in _SINGLE_BYTE_CODECS and not data.isascii():
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            warnings.append(f"The feed declares {declared} but is written in UTF-8; read as UTF-8.")
            return text, "utf-8", warnings
    try:
        return data.decode(codec), _label(codec), warnings
    except UnicodeDecodeError:
        pass
    try:
        decoded = decode_bytes(data, max_bytes=len(data) + 1)
        text, used = decoded.text, decoded.encoding
    except DecodeError:
        text, used = data.decode(codec, errors="replace"), _label(codec)
    warnings.append(f"The feed declares {declared or 'UTF-8'} but {what} is not written in it; read as {used}.")
    return text, used, warnings


def strip_invalid_characters(text: str) -> tuple[str, list[str]]:
    """Return `text` without the control characters XML forbids (exports often carry them), and a warning."""
    if text.isprintable() or not _INVALID_XML_CHARS_RE.search(text):
        return text, []
    count = len(_INVALID_XML_CHARS_RE.findall(text))
    return _INVALID_XML_CHARS_RE.sub("", text), [f"Removed {count} control character(s) that XML does not allow."]


def without_declaration(text: str) -> str:
    """Return `text` without its XML declaration (a parser given text refuses one that names an encoding)."""
    return _XML_DECLARATION_TEXT_RE.sub("", text, count=1)


def _codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _label(codec: str) -> str:
    return {"iso8859-1": "latin-1", "iso8859-15": "iso-8859-15", "iso8859-2": "iso-8859-2"}.get(codec, codec)


class XmlItemSplitter:
    """Yield the items of an XML feed as `RawItem`s, reading `read(n)` chunk by chunk; `meta` fills in as it goes."""

    def __init__(self, read: Callable[[int], bytes], fmt: str, meta: FeedMeta):
        self.read = read
        self.format = fmt
        self.meta = meta
        self.item_name = ITEM_ELEMENT.get(fmt, b"item")
        self.context: dict = {}

    def __iter__(self) -> Iterator[RawItem]:
        cuts = self._cuts()
        index = 0
        for event, payload in cuts:
            if event == "head":
                self.context = read_container(payload, self.format, self.meta)
                continue
            if event == "end":
                _complete_meta(payload, self.format, self.meta)
                continue
            cut: _Cut = payload
            known = self.context.get("namespaces", {})
            undeclared = sorted(prefix for prefix in cut.undeclared if prefix not in known)
            warnings = list(cut.warnings)
            for prefix in undeclared:
                uri = KNOWN_NAMESPACES.get(prefix)
                meaning = f"read as {uri}" if uri else "its elements are kept"
                warnings.append(f"The feed uses the prefix “{prefix}:” without declaring it; {meaning}.")
            yield RawItem(
                data=cut.data,
                index=index,
                format=self.format,
                context=self.context if not undeclared else {**self.context, "undeclared": undeclared},
                warnings=tuple(warnings),
            )
            index += 1
            self.meta.items = index
        if index == 0:
            self.meta.warnings.append("The feed has no items.")

    def _cuts(self) -> Iterator[tuple[str, object]]:
        """Yield ("head", bytes) before the first item, ("item", _Cut) per item and ("end", bytes) at the end."""
        read, item_name = self.read, self.item_name
        buf = b""
        pos = 0
        eof = False
        container = bytearray()
        container_from = 0
        head_sent = False
        item_start: int | None = None
        item_qname = b""
        used: set[bytes] = set()
        declared: set[bytes] = set()

        def keep_container(end: int) -> None:
            nonlocal container_from
            if len(container) < MAX_CONTAINER_BYTES:
                container.extend(buf[container_from:end])
            container_from = end

        def fill() -> bool:
            nonlocal buf, pos, container_from, item_start, eof
            chunk = read(CHUNK_BYTES)
            if not chunk:
                eof = True
                return False
            if item_start is None:
                keep_container(pos)
                keep = pos
            else:
                keep = item_start
            buf = buf[keep:] + chunk
            pos -= keep
            container_from = max(container_from - keep, 0)
            if item_start is not None:
                item_start -= keep
            return True

        def cut(end: int, warning: str | None = None) -> _Cut:
            undeclared = frozenset(p.decode("ascii", "replace") for p in used - declared - {b"xml", b"xmlns"})
            return _Cut(bytes(buf[item_start:end]), [warning] if warning else [], undeclared)

        while True:
            start = buf.find(b"<", pos)
            if start < 0:
                pos = len(buf)
                if eof or not fill():
                    break
                continue
            if len(buf) - start < 16 and not eof:
                fill()
                continue
            marker = buf[start + 1 : start + 2]
            if marker == b"!" or marker == b"?":
                if buf.startswith(b"<!--", start):
                    end, closing = buf.find(b"-->", start + 4), 3
                elif buf.startswith(b"<![CDATA[", start):
                    end, closing = buf.find(b"]]>", start + 9), 3
                elif marker == b"?":
                    end, closing = buf.find(b"?>", start + 2), 2
                else:
                    end, closing = _declaration_end(buf, start), 1
                if end < 0:
                    if not eof and fill():
                        continue
                    end, closing = len(buf), 0
                pos = end + closing
                continue
            if marker == b"/":
                end = buf.find(b">", start)
                if end < 0:
                    if not eof and fill():
                        continue
                    end = len(buf) - 1
                qname = buf[start + 2 : end].split(None, 1)[0] if buf[start + 2 : end].strip() else b""
                local = qname.rsplit(b":", 1)[-1]
                if item_start is not None:
                    if qname == item_qname:
                        yield "item", cut(end + 1)
                        item_start = None
                        container_from = end + 1
                    elif local in _CONTAINER_ENDS:
                        yield "item", cut(start, "The item was not closed; it ends where its channel does.")
                        item_start = None
                        container_from = start
                pos = end + 1
                continue
            if not marker or marker[0] not in _NAME_START:
                pos = start + 1  # a stray "<" in text
                continue
            match = _START_TAG_RE.match(buf, start)
            if match is None:
                if not eof and len(buf) - start < MAX_TAG_BYTES and fill():
                    continue
                end = buf.find(b">", start)
                match_end = len(buf) if end < 0 else end + 1
                qname, attributes = buf[start + 1 : match_end].split(None, 1)[0].rstrip(b">/"), b""
            else:
                match_end, qname, attributes = match.end(), match[1], match[2]
            local = qname.rsplit(b":", 1)[-1]
            if local == item_name and (item_start is None or qname == item_qname):
                if item_start is not None:
                    yield "item", cut(start, "The item was not closed; it ends where the next item starts.")
                else:
                    keep_container(start)
                    if not head_sent:
                        head_sent = True
                        yield "head", bytes(container)
                item_start, item_qname = start, qname
                used, declared = set(), set()
                self_closing = attributes.endswith(b"/")
            else:
                self_closing = False
            if item_start is not None:
                if b":" in qname:
                    used.add(qname.split(b":", 1)[0])
                if b":" in attributes:
                    for prefix in _ATTRIBUTE_PREFIX_RE.findall(attributes):
                        (declared if prefix == b"xmlns" else used).add(prefix)
                    declared.update(re.findall(rb"\sxmlns:([\w.-]+)\s*=", attributes))
                if self_closing:
                    yield "item", cut(match_end)
                    item_start = None
                    container_from = match_end
            pos = match_end

        if item_start is not None:
            yield "item", cut(len(buf), "The document ends inside this item: it was cut off.")
            item_start = None
            container_from = len(buf)
        keep_container(len(buf))
        if not head_sent:
            yield "head", bytes(container)
        yield "end", bytes(container)


def _declaration_end(buf: bytes, start: int) -> int:
    """Return where `<!DOCTYPE ...>` (or another declaration) ends, past an internal subset in brackets."""
    close = buf.find(b">", start)
    bracket = buf.find(b"[", start)
    if 0 <= bracket < close:
        subset_end = buf.find(b"]", bracket)
        return -1 if subset_end < 0 else buf.find(b">", subset_end)
    return close


_PARSER = lxml.etree.XMLParser(recover=True, resolve_entities=False, no_network=True, load_dtd=False)


def parse_fragment(text: str):
    """Return the root element lxml reads from `text` in its recovering mode, or None when it reads nothing."""
    text, _ = strip_invalid_characters(without_declaration(text))
    if "<" not in text:
        return None
    try:
        return lxml.etree.fromstring(text, _PARSER)
    except lxml.etree.XMLSyntaxError:
        return None


def local_name(tag) -> str:
    """Return an element's name without its namespace or prefix (lxml gives `{uri}name` or, undeclared, `p:name`)."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def namespace(tag) -> str | None:
    """Return an element's namespace URI, None when it has none (or its prefix was never declared)."""
    if isinstance(tag, str) and tag.startswith("{"):
        return tag[1:].split("}", 1)[0]
    return None


def child_text(parent, name: str, namespaces: tuple[str | None, ...] = (None,)) -> str | None:
    """Return the stripped text of `parent`'s first child called `name` in one of `namespaces`, if it has text."""
    for child in parent:
        if local_name(child.tag) == name and namespace(child.tag) in namespaces:
            text = "".join(child.itertext()).strip()
            if text:
                return text
    return None


def read_container(data: bytes, fmt: str, meta: FeedMeta) -> dict:
    """Fill `meta` from the bytes before the first item and return the context every item of the feed shares."""
    declared = declared_encoding(data)
    meta.encoding = declared or "utf-8"
    text, _, warnings = decode_xml(data, declared, what="its own elements")
    meta.warnings.extend(warnings)
    root = parse_fragment(text)
    context = {"encoding": meta.encoding, "namespaces": {}, "root": _root_tag(root) or _default_root(fmt)}
    if root is None:
        meta.warnings.append("The feed's own elements could not be read (it is not well-formed XML).")
        return context
    channel = _channel(root, fmt)
    namespaces = {prefix or "": uri for prefix, uri in {**root.nsmap, **channel.nsmap}.items()}
    context["namespaces"] = namespaces
    _fill_meta(channel, root, fmt, meta)
    context.update(title=meta.title, link=meta.link, language=meta.language)
    base = root.get("{http://www.w3.org/XML/1998/namespace}base") or channel.get(
        "{http://www.w3.org/XML/1998/namespace}base"
    )
    context["base"] = base or meta.link
    if root.get("version"):
        context["version"] = root.get("version")
    if fmt == ATOM:
        context["authors"] = _atom_authors(root)
    if fmt == WXR:
        context["wp_authors"] = _wordpress_authors(channel)
    return context


def _complete_meta(data: bytes, fmt: str, meta: FeedMeta) -> None:
    """Fill what `meta` still lacks from all the bytes around the items (some feeds put their title last)."""
    if meta.title and meta.link:
        return
    text, _, _ = decode_xml(data, meta.encoding)
    root = parse_fragment(text)
    if root is None:
        return
    before = (meta.title, meta.link, meta.language, meta.generator)
    probe = FeedMeta(format=fmt)
    _fill_meta(_channel(root, fmt), root, fmt, probe)
    meta.title, meta.link, meta.language, meta.generator = (
        old or new for old, new in zip(before, (probe.title, probe.link, probe.language, probe.generator), strict=True)
    )


def _root_tag(root) -> str | None:
    if root is None:
        return None
    prefix = root.prefix
    name = local_name(root.tag)
    return f"{prefix}:{name}" if prefix else name


def _default_root(fmt: str) -> str:
    return {ATOM: "feed", RDF: "rdf:RDF"}.get(fmt, "rss")


def _channel(root, fmt: str):
    if fmt == ATOM:
        return root
    for child in root:
        if local_name(child.tag) == "channel":
            return child
    return root


def _fill_meta(channel, root, fmt: str, meta: FeedMeta) -> None:
    plain = (None, RSS10_NS, "http://my.netscape.com/rdf/simple/0.9/")
    dc = ("http://purl.org/dc/elements/1.1/",)
    if fmt == ATOM:
        atom = (ATOM_NS, "http://purl.org/atom/ns#")
        title = next((c for c in channel if local_name(c.tag) == "title" and namespace(c.tag) in atom), None)
        if title is not None:
            raw = "".join(title.itertext()).strip()
            meta.title = inline_text(raw) if title.get("type") == "html" else " ".join(raw.split()) or None
        meta.link = _atom_link(channel)
        meta.language = root.get("{http://www.w3.org/XML/1998/namespace}lang")
        meta.generator = child_text(channel, "generator", atom)
        return
    title = child_text(channel, "title", plain)
    meta.title = " ".join(title.split()) if title else None
    meta.link = child_text(channel, "link", plain)
    meta.language = child_text(channel, "language", plain) or child_text(channel, "language", dc)
    meta.generator = child_text(channel, "generator", plain)


def _atom_link(element) -> str | None:
    for child in element:
        if local_name(child.tag) == "link" and child.get("href") and child.get("rel", "alternate") == "alternate":
            return child.get("href")
    return None


def _atom_authors(root) -> list[str]:
    names = []
    for child in root:
        if local_name(child.tag) == "author":
            name = child_text(child, "name", (ATOM_NS, "http://purl.org/atom/ns#"))
            if name:
                names.append(name)
    return names


def _wordpress_authors(channel) -> dict[str, str]:
    """Return the export's authors, login to display name: an exported post names its author by login."""
    authors = {}
    for child in channel:
        if local_name(child.tag) == "author" and (namespace(child.tag) or "").startswith(WXR_NS_PREFIX):
            login = display = None
            for field_element in child:
                name = local_name(field_element.tag)
                value = "".join(field_element.itertext()).strip()
                if name == "author_login":
                    login = value
                elif name == "author_display_name":
                    display = value
            if login:
                authors[login] = display or login
    return authors
