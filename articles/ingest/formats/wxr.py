"""Read one item of a WordPress export (WXR): a post, or the reason another kind of item is not one.

An export is RSS in WordPress's own namespace, and its items are not feed entries: the content is the post as
stored (blank lines for paragraphs, shortcodes), the author is a login named in the export's header, the dates
are the site's own columns. feedparser knows none of this, so the item is read with lxml (recovering, as exports
often hold characters XML forbids), in the same envelope a feed item gets.
"""

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from articles.ingest.formats.feeds import envelope
from articles.ingest.formats.fields import ItemError, ItemFields, ItemSkipped, RawItem
from articles.ingest.formats.xmlsplit import (
    decode_xml,
    local_name,
    namespace,
    parse_fragment,
    strip_invalid_characters,
    without_declaration,
)

POST = "post"
# Statuses of items that are not, or no longer, posts: deleted, never written, or attached to another item.
SKIPPED_STATUSES = {"trash": "in the trash", "auto-draft": "an empty automatic draft", "inherit": "a revision"}
_NO_DATE = "0000-00-00 00:00:00"
# WordPress writes "-0001" as the year of a date it does not have.
MIN_YEAR = 1970
_UNCATEGORIZED = "uncategorized"


def read_export_item(raw: RawItem) -> ItemFields:
    """Return the fields of an exported post; raise `ItemSkipped` for pages, attachments, menus and other kinds."""
    text, encoding, warnings = decode_xml(raw.data, raw.context.get("encoding"))
    text, removed = strip_invalid_characters(without_declaration(text))
    warnings = [*raw.warnings, *warnings, *removed]
    root = parse_fragment(envelope(raw, text))
    item = _find_item(root)
    if item is None:
        raise ItemError(f"Item {raw.index + 1} of the export could not be read.")
    values: dict[str, str] = {}
    categories: list[tuple[str, str, str]] = []
    for child in item:
        name = local_name(child.tag)
        value = "".join(child.itertext())
        if name == "category":
            categories.append((child.get("domain") or "category", child.get("nicename") or "", value.strip()))
        elif name not in values:
            values[_key(child)] = value

    title = values.get("title", "").strip()
    post_type = values.get("wp:post_type", "").strip() or POST
    if post_type != POST:
        raise ItemSkipped(f"WordPress {post_type.replace('_', ' ')} “{title or 'untitled'}”, not a post: skipped.")
    status = values.get("wp:status", "").strip() or None
    if status in SKIPPED_STATUSES:
        raise ItemSkipped(f"WordPress post “{title or 'untitled'}” is {SKIPPED_STATUSES[status]}: skipped.")

    authors = raw.context.get("wp_authors") or {}
    creator = values.get("dc:creator", "").strip()
    fields = ItemFields(
        format=raw.format,
        index=raw.index,
        title=title or None,
        html=values.get("content:encoded") or None,
        summary=values.get("excerpt:encoded", "").strip() or None,
        authors=[authors.get(creator, creator)] if creator else [],
        tags=_tags(categories),
        published_at=_published(values),
        updated_at=_gmt(values.get("wp:post_modified_gmt")),
        link=values.get("link", "").strip() or None,
        source_hint=raw.context.get("title"),
        language=raw.context.get("language"),
        status=status,
        encoding=encoding,
        raw_wordpress=True,
        warnings=warnings,
    )
    fields.external_id = values.get("guid", "").strip() or fields.link
    if values.get("wp:post_password", "").strip():
        fields.warnings.append("The post is password-protected on its site.")
    if fields.published_at is None and status == "publish":
        fields.warnings.append("The published post has no date the export states in UTC.")
    return fields


def _find_item(root):
    if root is None:
        return None
    if local_name(root.tag) == "item":
        return root
    return next((element for element in root.iter() if local_name(element.tag) == "item"), None)


def _key(element) -> str:
    """Return `prefix:name` for the WordPress, content, excerpt and Dublin Core elements, the name for RSS's."""
    name = local_name(element.tag)
    uri = namespace(element.tag) or ""
    tag = element.tag if isinstance(element.tag, str) else ""
    if uri.startswith("http://wordpress.org/export/") and uri.rstrip("/").endswith("excerpt"):
        return f"excerpt:{name}"
    if uri.startswith("http://wordpress.org/export/"):
        return f"wp:{name}"
    if uri == "http://purl.org/rss/1.0/modules/content/":
        return f"content:{name}"
    if uri == "http://purl.org/dc/elements/1.1/":
        return f"dc:{name}"
    if ":" in tag and not tag.startswith("{"):  # a prefix the export never declared
        return tag
    return name


def _tags(categories: list[tuple[str, str, str]]) -> list[str]:
    tags: list[str] = []
    for domain, nicename, label in categories:
        if domain not in ("category", "post_tag") or not label:
            continue
        if domain == "category" and (nicename or label).casefold() == _UNCATEGORIZED:
            continue  # WordPress's placeholder for "no category"
        if label.casefold() not in {tag.casefold() for tag in tags}:
            tags.append(label)
    return tags


def _published(values: dict[str, str]) -> datetime | None:
    """Return when the post was published: its GMT date; a zero one means never (a draft), whatever pubDate says."""
    if "wp:post_date_gmt" in values:
        return _gmt(values["wp:post_date_gmt"])
    return _rfc822(values.get("pubDate"))


def _gmt(value: str | None) -> datetime | None:
    value = (value or "").strip()
    if not value or value == _NO_DATE:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def _rfc822(value: str | None) -> datetime | None:
    try:
        parsed = parsedate_to_datetime((value or "").strip())
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.year < MIN_YEAR:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
