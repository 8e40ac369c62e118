"""Read one RSS (0.9x, 1.0, 2.0) or Atom item with feedparser, which knows what real feeds do with each element.

feedparser is handed the item's own bytes inside a minimal envelope that declares what the item's feed
declared (namespaces, version, base URL, language), never a URL or a path, so it fetches nothing. Where the item
is not well-formed, feedparser's lenient parser reads it; its complaint becomes a warning and what it read is
kept. One feedparser pass per item costs about a quarter more than one pass over the whole document (see the
README's figures), and keeps each item's bytes, failures and memory its own.
"""

import io
import re
from datetime import UTC, datetime
from html import escape

import feedparser

from articles.ingest.formats.fields import ATOM, RDF, ItemError, ItemFields, RawItem
from articles.ingest.formats.html import inline_text
from articles.ingest.formats.xmlsplit import (
    ATOM_NS,
    KNOWN_NAMESPACES,
    RSS10_NS,
    decode_xml,
    strip_invalid_characters,
    without_declaration,
)

_POSITION_RE = re.compile(r"^<unknown>:\d+:\d+:\s*")
_EMAIL_RE = re.compile(r"^\s*\S+@\S+\.\S+\s*$")
_EMAIL_THEN_NAME_RE = re.compile(r"^\s*\S+@\S+\s*\((?P<name>[^)]+)\)\s*$")
_NAME_THEN_EMAIL_RE = re.compile(r"^\s*(?P<name>[^<]+?)\s*<\S+@\S+>\s*$")
_HTML_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml")


def read_feed_item(raw: RawItem) -> ItemFields:
    """Return the fields of an RSS, RDF or Atom item; raise `ItemError` when nothing in it reads as an item."""
    text, encoding, warnings = decode_xml(raw.data, raw.context.get("encoding"))
    text, removed = strip_invalid_characters(without_declaration(text))
    warnings = [*raw.warnings, *warnings, *removed]
    result = feedparser.parse(
        io.BytesIO(envelope(raw, text).encode("utf-8")), sanitize_html=False, resolve_relative_uris=False
    )
    if result.get("bozo"):
        complaint = _POSITION_RE.sub("", str(result.get("bozo_exception", "")).strip()) or "unknown error"
        complaint = complaint.removeprefix("not well-formed ").strip("()") or complaint
        warnings.append(f"The item is not well-formed XML ({complaint}); read leniently.")
    if not result.entries:
        raise ItemError(f"Item {raw.index + 1} could not be read as a feed item.")
    return _fields(result.entries[0], raw, encoding, warnings)


def envelope(raw: RawItem, text: str) -> str:
    """Return the item's text wrapped in the smallest document that reads like its feed around it."""
    context = raw.context
    namespaces = dict(context.get("namespaces") or {})
    for prefix in context.get("undeclared", ()):
        namespaces.setdefault(prefix, KNOWN_NAMESPACES.get(prefix, f"urn:x-undeclared:{prefix}"))
    root = context.get("root") or ("feed" if raw.format == ATOM else "rdf:RDF" if raw.format == RDF else "rss")
    if raw.format == ATOM:
        namespaces.setdefault("", ATOM_NS)
    elif raw.format == RDF:
        namespaces.setdefault("", RSS10_NS)
    if ":" in root:
        namespaces.setdefault(root.split(":", 1)[0], KNOWN_NAMESPACES.get(root.split(":", 1)[0], "urn:x-undeclared"))
    attributes = [
        f'xmlns:{prefix}="{escape(uri)}"' if prefix else f'xmlns="{escape(uri)}"' for prefix, uri in namespaces.items()
    ]
    if context.get("version"):
        attributes.append(f'version="{escape(context["version"])}"')
    if context.get("base"):
        attributes.append(f'xml:base="{escape(context["base"])}"')
    if raw.format == ATOM and context.get("language"):
        attributes.append(f'xml:lang="{escape(context["language"])}"')
    opening = f'<?xml version="1.0" encoding="utf-8"?><{root} {" ".join(attributes)}>'
    if raw.format == ATOM or raw.format == RDF:
        return f"{opening}{text}</{root}>"
    return f"{opening}<channel>{text}</channel></{root}>"


def _fields(entry, raw: RawItem, encoding: str, warnings: list[str]) -> ItemFields:
    context = raw.context
    fields = ItemFields(format=raw.format, index=raw.index, encoding=encoding, warnings=warnings)
    title = entry.get("title")
    if title is not None:
        detail = entry.get("title_detail") or {}
        fields.title = inline_text(title) if detail.get("type") in _HTML_TYPES else title.strip()

    content = _pick_content(entry.get("content") or [])
    summary, summary_type = entry.get("summary"), (entry.get("summary_detail") or {}).get("type", "text/html")
    if content is not None:
        _set_body(fields, content.get("value", ""), content.get("type", "text/html"))
        if summary and summary.strip() != (content.get("value") or "").strip():
            fields.summary, fields.summary_html = summary, _is_html(summary, summary_type)
    elif summary:
        _set_body(fields, summary, summary_type)

    fields.authors = _author_names(entry.get("authors") or [], warnings)
    if not fields.authors and raw.format == ATOM:
        fields.authors = list(context.get("authors") or [])
    fields.tags = _unique((tag.get("label") or tag.get("term") or "").strip() for tag in entry.get("tags") or [])
    published = _date(entry, "published", warnings)
    updated = _date(entry, "updated", warnings)
    fields.published_at = published or updated
    fields.updated_at = updated if published else None
    fields.link = _link(entry, raw.format)
    fields.external_id = (entry.get("id") or "").strip() or fields.link
    source = entry.get("source") or {}
    fields.source = (source.get("title") or "").strip() or None
    fields.source_hint = context.get("title")
    detail_language = (content or {}).get("language") or (entry.get("title_detail") or {}).get("language")
    fields.language = detail_language or context.get("language")
    return fields


def _link(entry, fmt: str) -> str | None:
    link = (entry.get("link") or "").strip() or None
    if fmt == ATOM and link not in {item.get("href") for item in entry.get("links") or []}:
        return None  # feedparser lends an Atom entry its id as a link when it has none
    return link


def _pick_content(contents: list) -> dict | None:
    for content in contents:
        if content.get("type") in _HTML_TYPES and (content.get("value") or "").strip():
            return content
    return next((content for content in contents if (content.get("value") or "").strip()), None)


def _is_html(value: str, declared_type: str) -> bool:
    # feedparser calls every RSS description HTML; one with no markup and no entity is plain text.
    return declared_type in _HTML_TYPES and ("<" in value or "&" in value)


def _set_body(fields: ItemFields, value: str, declared_type: str) -> None:
    if _is_html(value, declared_type):
        fields.html = value
    else:
        fields.text = value


def _author_names(authors: list, warnings: list[str]) -> list[str]:
    names = []
    for author in authors:
        name = (author.get("name") or "").strip()
        match = _EMAIL_THEN_NAME_RE.match(name) or _NAME_THEN_EMAIL_RE.match(name)
        if match:
            name = match["name"].strip()
        elif _EMAIL_RE.match(name):
            warnings.append(f"The author “{name}” is only an e-mail address; not taken as a name.")
            continue
        if name:
            names.append(name)
    return _unique(names)


def _unique(values) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        if value and value.casefold() not in {key.casefold() for key in seen}:
            seen[value] = None
    return list(seen)


def _date(entry, key: str, warnings: list[str]) -> datetime | None:
    # Plain dict lookups: feedparser's own would lend "updated" the published date (a deprecated fallback).
    parsed = dict.get(entry, f"{key}_parsed")
    if parsed:
        return datetime(*parsed[:6], tzinfo=UTC)
    if dict.get(entry, key):
        warnings.append(f"Could not read the date “{dict.get(entry, key)}”.")
    return None
