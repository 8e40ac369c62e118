"""Split and read the JSON formats: JSON Feed 1.1 (one document, items in its `items` array) and JSON lines.

A JSON Feed is read in chunks: each member of the top-level object and each item of `items` is decoded on its
own from a rolling buffer, so only one item is held at a time and its bytes are exactly its object as it
arrived. A JSON lines file is read line by line; a line that is not a JSON object becomes an item that fails
with its reason, never an error that stops the file.
"""

import codecs
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

from articles.ingest.decode import DecodeError, decode_bytes
from articles.ingest.formats.fields import JSONFEED, JSONL, FeedMeta, FormatError, ItemError, ItemFields, RawItem

CHUNK_BYTES = 65536
_WHITESPACE = " \t\r\n"
_DECODER = json.JSONDecoder()

# A JSON line's fields and the types each may have; anything else on the line is ignored with a warning.
JSONL_FIELDS = {
    "title": (str,),
    "body": (str,),
    "html": (str,),
    "summary": (str,),
    "url": (str,),
    "id": (str, int),
    "source": (str,),
    "published_at": (str,),
    "updated_at": (str,),
    "authors": (list, str),
    "tags": (list,),
    "language": (str,),
}
_TYPE_NAMES = {
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "true or false",
    list: "a list",
    dict: "an object",
    type(None): "null",
}


class JsonFeedSplitter:
    """Yield the items of a JSON Feed as `RawItem`s, reading `read(n)` chunk by chunk; `meta` fills in as it goes."""

    def __init__(self, read: Callable[[int], bytes], meta: FeedMeta):
        self.read = read
        self.meta = meta
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")("strict")
        self.context: dict = {}

    def __iter__(self) -> Iterator[RawItem]:
        self.meta.encoding = "utf-8"
        if self.next_char() != "{":
            raise FormatError("This is not a JSON Feed: the document is not a JSON object.")
        self.pos += 1
        index = 0
        try:
            while True:
                char = self.next_char()
                if char == "}" or char == "":
                    break
                if char == ",":
                    self.pos += 1
                    continue
                key = self.decode_value()
                if self.next_char() != ":":
                    raise ValueError("expected “:” after a member name")
                self.pos += 1
                if key == "items" and self.next_char() == "[":
                    self.pos += 1
                    for raw in self.items(index):
                        index += 1
                        self.meta.items = index
                        yield raw
                else:
                    self.take_member(key, self.decode_value())
        except ValueError as error:
            self.meta.warnings.append(
                f"The JSON Feed is not valid JSON after item {index} ({error}); the rest was not read."
            )
        if self.meta.format == JSONFEED and index == 0:
            self.meta.warnings.append("The feed has no items.")

    def items(self, first_index: int) -> Iterator[RawItem]:
        self.context = {
            "title": self.meta.title,
            "link": self.meta.link,
            "language": self.meta.language,
            "authors": self.context.get("authors", []),
        }
        index = first_index
        while True:
            char = self.next_char()
            if char == "]" or char == "":
                self.pos += 1
                return
            if char == ",":
                self.pos += 1
                continue
            start = self.pos
            try:
                self.decode_value()
            except ValueError as error:
                bad = self.buf[start : start + 2000]
                yield RawItem(bad.encode("utf-8"), index, JSONFEED, self.context, (f"Not valid JSON: {error}.",))
                raise
            yield RawItem(self.buf[start : self.pos].encode("utf-8"), index, JSONFEED, self.context)
            index += 1
            if self.pos > CHUNK_BYTES:
                self.buf, self.pos = self.buf[self.pos :], 0

    def take_member(self, key: str, value) -> None:
        if key == "title" and isinstance(value, str):
            self.meta.title = " ".join(value.split()) or None
        elif key == "home_page_url" and isinstance(value, str):
            self.meta.link = value
        elif key == "language" and isinstance(value, str):
            self.meta.language = value
        elif key in ("authors", "author"):
            self.context["authors"] = _author_names(value if isinstance(value, list) else [value])

    def next_char(self) -> str:
        """Return the next character that is not whitespace (without consuming it), "" at the end."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in _WHITESPACE:
                self.pos += 1
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.fill():
                return ""

    def decode_value(self):
        self.next_char()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as error:
                if self.fill():
                    continue
                raise ValueError(error.msg) from None
            # A number may go on in the next chunk: only a value followed by something is surely complete.
            if end == len(self.buf) and not self.eof and self.fill():
                continue
            self.pos = end
            return value

    def fill(self) -> bool:
        if self.eof:
            return False
        chunk = self.read(CHUNK_BYTES)
        if not chunk:
            self.eof = True
            self.buf += self.decoder.decode(b"", final=True)
            return False
        try:
            self.buf += self.decoder.decode(chunk)
        except UnicodeDecodeError:
            self.meta.warnings.append("The JSON Feed is not valid UTF-8; bytes that do not decode were replaced.")
            self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
            self.buf += self.decoder.decode(chunk)
        return True


def iter_json_lines(stream, meta: FeedMeta) -> Iterator[RawItem]:
    """Yield each non-blank line of a JSON lines stream as a `RawItem` (its bytes without the line break)."""
    index = 0
    for number, line in enumerate(stream, start=1):
        if number == 1:
            line = line.removeprefix(codecs.BOM_UTF8)
        data = line.rstrip(b"\r\n")
        if not data.strip():
            continue
        yield RawItem(data, index, JSONL, {}, (), line=number)
        index += 1
        meta.items = index
    if index == 0:
        meta.warnings.append("The file has no lines.")


def read_jsonfeed_item(raw: RawItem) -> ItemFields:
    """Return the fields of a JSON Feed item; wrong-typed fields are ignored with a warning."""
    item, warnings = _json_object(raw, f"Item {raw.index + 1}")
    fields = ItemFields(format=JSONFEED, index=raw.index, warnings=[*raw.warnings, *warnings])
    get = _lenient_getter(item, fields.warnings)
    fields.title = get("title", str)
    fields.html = get("content_html", str)
    fields.text = None if fields.html else get("content_text", str)
    fields.summary = get("summary", str)
    fields.summary_html = False
    identifier = get("id", (str, int))
    fields.link = get("url", str) or get("external_url", str)
    fields.external_id = str(identifier) if identifier not in (None, "") else fields.link
    authors = get("authors", list) or ([item["author"]] if isinstance(item.get("author"), dict) else [])
    fields.authors = _author_names(authors) or list(raw.context.get("authors") or [])
    tags = get("tags", list) or []
    fields.tags = [tag.strip() for tag in tags if isinstance(tag, str) and tag.strip()]
    if any(not isinstance(tag, str) for tag in tags):
        fields.warnings.append("Ignored the tags that are not strings.")
    fields.published_at = _iso_date(get("date_published", str), fields.warnings)
    fields.updated_at = _iso_date(get("date_modified", str), fields.warnings)
    fields.language = get("language", str) or raw.context.get("language")
    fields.source_hint = raw.context.get("title")
    return fields


def read_jsonl_item(raw: RawItem) -> ItemFields:
    """Return the fields of one JSON line; raise `ItemError` for a line that is not an object of the right types."""
    where = f"Line {raw.line or raw.index + 1}"
    item, warnings = _json_object(raw, where)
    fields = ItemFields(format=JSONL, index=raw.index, warnings=[*raw.warnings, *warnings])
    unknown = sorted(key for key in item if key not in JSONL_FIELDS)
    if unknown:
        fields.warnings.append("Ignored unknown field(s): " + ", ".join(unknown) + ".")
    for key, types in JSONL_FIELDS.items():
        value = item.get(key)
        if value is not None and (not isinstance(value, types) or isinstance(value, bool)):
            wanted = " or ".join(_TYPE_NAMES[kind] for kind in types)
            raise ItemError(f"{where}: “{key}” must be {wanted}, not {_TYPE_NAMES.get(type(value), 'that')}.")
    for key in ("authors", "tags"):
        value = item.get(key)
        if isinstance(value, list) and not all(isinstance(entry, str) for entry in value):
            raise ItemError(f"{where}: “{key}” must be a list of strings.")
    fields.title = item.get("title")
    fields.html = item.get("html") or None
    fields.text = None if fields.html else item.get("body")
    if fields.html and item.get("body"):
        fields.warnings.append("The line has both “html” and “body”; the HTML was used.")
    fields.summary = item.get("summary")
    fields.summary_html = False
    fields.link = item.get("url")
    identifier = item.get("id")
    fields.external_id = str(identifier) if identifier not in (None, "") else fields.link
    fields.source = (item.get("source") or "").strip() or None
    authors = item.get("authors")
    fields.authors = [authors] if isinstance(authors, str) else [name for name in authors or [] if name.strip()]
    fields.tags = [tag.strip() for tag in item.get("tags") or [] if tag.strip()]
    fields.published_at = _iso_date(item.get("published_at"), fields.warnings)
    fields.updated_at = _iso_date(item.get("updated_at"), fields.warnings)
    fields.language = item.get("language")
    return fields


def _json_object(raw: RawItem, where: str) -> tuple[dict, list[str]]:
    try:
        text = raw.data.decode("utf-8")
        encoding_warning = None
    except UnicodeDecodeError:
        try:
            decoded = decode_bytes(raw.data, max_bytes=len(raw.data) + 1)
        except DecodeError as error:
            raise ItemError(f"{where} cannot be read: {error}") from None
        text, encoding_warning = decoded.text, f"{where} is not UTF-8; read as {decoded.encoding}."
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise ItemError(f"{where} is not valid JSON ({error.msg}, at character {error.pos + 1}).") from None
    if not isinstance(value, dict):
        raise ItemError(f"{where} is {_TYPE_NAMES.get(type(value), 'a value')}, not a JSON object.")
    return value, [encoding_warning] if encoding_warning else []


def _lenient_getter(item: dict, warnings: list[str]):
    def get(key: str, types):
        value = item.get(key)
        if value is None:
            return None
        if not isinstance(value, types) or isinstance(value, bool):
            warnings.append(f"Ignored “{key}”: it is {_TYPE_NAMES.get(type(value), 'of the wrong type')}.")
            return None
        return value

    return get


def _author_names(authors: list) -> list[str]:
    names = []
    for author in authors:
        name = author.get("name") if isinstance(author, dict) else author if isinstance(author, str) else None
        if isinstance(name, str) and name.strip() and name.strip() not in names:
            names.append(name.strip())
    return names


def _iso_date(value: str | None, warnings: list[str]) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        warnings.append(f"Could not read the date “{value}”.")
        return None
    if parsed.tzinfo is None:
        warnings.append(f"The date “{value}” has no time zone; taken as UTC.")
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
