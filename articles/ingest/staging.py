"""Turn raw pieces into what the loader needs: decoded, parsed, cleaned and checked, or failed with a reason.

Pure Python with no database access and no Django settings, so batches can be staged in worker processes
(`workers.py`) while the main process writes the previous batch to the database.
"""

import hashlib
import re
from dataclasses import dataclass, field

from articles.ingest import formats
from articles.ingest.decode import DecodeError, decode_bytes
from articles.ingest.parse import NO_ITEM_SOURCE_WARNING, NO_SOURCE_WARNING, ParsedPiece
from articles.ingest.prepare import prepare_item, prepare_piece
from articles.ingest.reading import PieceInput, RawPiece, as_raw_piece, too_large
from articles.stories.signatures import sketch
from articles.text import collapse_spaces, fingerprint_and_word_count, slug_for

LANGUAGE_MAX = 12
LINK_MAX = 1000
TAG_MAX = 100
_LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$")


@dataclass
class StagedPiece:
    """A piece ready to load; `error` set means it failed before reaching the database, `skipped` (why) that it is an
    item that is readable but not an article (a WordPress page or attachment): recorded, never stored."""

    raw: RawPiece
    sha256: str
    encoding: str = ""
    parsed: ParsedPiece | None = None
    error: str = ""
    skipped: str = ""
    warnings: list[str] = field(default_factory=list)
    source_name: str = ""
    slug: str = ""
    fingerprint: str = ""
    word_count: int = 0

    language: str = ""
    link: str = ""
    tags: list[str] | None = None
    band_keys: list[int] = field(default_factory=list)  # the cleaned body's LSH band keys (articles.stories)
    shingle_set: bytes = b""  # and its shingle set, for the writer's verification of candidates

    @property
    def ok(self) -> bool:
        return not self.error and not self.skipped


def stage_piece(item: PieceInput, *, clean: bool, max_bytes: int, source: str | None = None) -> StagedPiece:
    """Read (when `item` is a path), decode, parse and clean a piece; never raise for bad input, return a staged
    piece with `error` (or, for an item that is not an article, `skipped`) instead.

    A text piece is decoded and parsed as text; an item of a document (`RawPiece.is_item`) is read alone from its
    own bytes with `formats.read_item` and parsed with `prepare.prepare_item`, exactly as when it is first split
    from its document, so a retry from its import record reads it the same way.

    `source` names the outlet when the caller knows it better than the piece (it overrides the footer's).
    """
    raw = as_raw_piece(item, max_bytes=max_bytes)
    source = raw.outlet or source
    staged = StagedPiece(raw=raw, sha256=hashlib.sha256(raw.data).hexdigest())
    if raw.error:
        staged.error = raw.error
        return staged
    if len(raw.data) > max_bytes:
        staged.error = _item_too_large(len(raw.data), max_bytes) if raw.is_item else too_large(len(raw.data), max_bytes)
        return staged
    parsed = _prepare_item(raw, staged, clean=clean) if raw.is_item else _prepare_text(raw, staged, clean, max_bytes)
    if parsed is None:
        return staged
    staged.parsed = parsed
    # An outlet named by the caller (the command's --source, the API's, a feed's) answers the piece's silence.
    staged.warnings.extend(w for w in parsed.warnings if not (source and _says_no_source(w)))
    if not parsed.body.strip():
        staged.error = f"The {'item' if raw.is_item else 'piece'} has a title but no body text."
        return staged
    if staged.encoding not in ("utf-8", "ascii"):
        staged.warnings.append(f"Decoded as {staged.encoding}, not UTF-8.")
    # A declared language wins; the detected one fills in for none (or for a declared one that is no tag).
    staged.language = _language(parsed.language, staged.warnings, detected=parsed.detected_language)
    if raw.is_item:
        staged.link = _link(parsed.link, staged.warnings)
        staged.tags = _tags(parsed.tags, staged.warnings)
    staged.source_name = collapse_spaces(source or parsed.source_name or "")
    if source and parsed.source_name and source.casefold() != parsed.source_name.casefold():
        staged.warnings.append(f"The piece names its source as “{parsed.source_name}”; imported under “{source}”.")
    if not staged.source_name:
        staged.warnings.append("The piece does not name its source; imported without one.")
    staged.slug = slug_for(parsed.title)
    staged.fingerprint, staged.word_count = fingerprint_and_word_count(parsed.body)
    staged.band_keys, staged.shingle_set = sketch(parsed.body)
    return staged


def _says_no_source(warning: str) -> bool:
    return warning == NO_SOURCE_WARNING or warning.startswith(NO_ITEM_SOURCE_WARNING.rstrip("."))


def _prepare_text(raw: RawPiece, staged: StagedPiece, clean: bool, max_bytes: int) -> ParsedPiece | None:
    try:
        decoded = decode_bytes(raw.data, max_bytes=max_bytes)
    except DecodeError as error:
        staged.error = str(error)
        return None
    staged.encoding = decoded.encoding
    staged.warnings.extend(decoded.warnings)
    try:
        return prepare_piece(decoded.text, clean=clean)
    except Exception as error:
        staged.error = f"The piece could not be parsed ({type(error).__name__}: {error})."
        return None


def _prepare_item(raw: RawPiece, staged: StagedPiece, *, clean: bool) -> ParsedPiece | None:
    """Read one item of a document alone and return its cleaned piece, or None with the reason on `staged`."""
    staged.encoding = (raw.context.get("encoding") or "utf-8").lower()
    item = formats.RawItem(
        data=raw.data, index=raw.index, format=raw.format, context=raw.context, warnings=raw.notes, line=raw.line
    )
    try:
        fields = formats.read_item(item)
    except formats.ItemSkipped as skipped:
        staged.skipped = str(skipped)
        return None
    except formats.ItemError as error:
        staged.error = str(error)
        return None
    staged.encoding = (fields.encoding or staged.encoding).lower()
    try:
        return prepare_item(fields, clean=clean)
    except Exception as error:
        staged.error = f"The item could not be parsed ({type(error).__name__}: {error})."
        return None


def _item_too_large(size: int, limit: int) -> str:
    return f"The item is {size:,} bytes, over the import limit of {limit:,} bytes (NEWSROOM_IMPORT_MAX_BYTES)."


def _language(language: str | None, warnings: list[str], *, detected: str = "") -> str:
    """Return the piece's language tag lower-cased ("pt-br"); else the language `detected` in its text; else ""
    (the article's default)."""
    if not language or not language.strip():
        return detected
    tag = language.strip().replace("_", "-").lower()
    if len(tag) > LANGUAGE_MAX or not _LANGUAGE_RE.match(tag):
        kept = f"the text reads as “{detected}”" if detected else "the default was kept"
        warnings.append(f"The language “{language.strip()[:40]}” is not a language tag; {kept}.")
        return detected
    return tag


def _link(link: str | None, warnings: list[str]) -> str:
    link = (link or "").strip()
    if len(link) > LINK_MAX:
        warnings.append(f"The item's link is {len(link):,} characters long, over {LINK_MAX}; it was not kept.")
        return ""
    return link


def _tags(names: list[str], warnings: list[str]) -> list[str]:
    """Return the item's categories as tags: spaces collapsed, each once (whatever its case), none over TAG_MAX."""
    tags, seen = [], set()
    for name in names:
        tag = collapse_spaces(name)
        if len(tag) > TAG_MAX:
            warnings.append(f"The category “{tag[:40]}…” is over {TAG_MAX} characters; it was not kept as a tag.")
        elif tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tags


def stage_chunk(chunk: list[PieceInput], *, clean: bool, max_bytes: int, source: str | None) -> list[StagedPiece]:
    """Stage each piece of `chunk`, in order."""
    return [stage_piece(item, clean=clean, max_bytes=max_bytes, source=source) for item in chunk]
