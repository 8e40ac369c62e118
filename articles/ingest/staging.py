"""Turn raw pieces into what the loader needs: decoded, parsed, cleaned and checked, or failed with a reason.

Pure Python with no database access and no Django settings, so batches can be staged in worker processes
(`workers.py`) while the main process writes the previous batch to the database.
"""

import hashlib
from dataclasses import dataclass, field

from articles.ingest.decode import DecodeError, decode_bytes
from articles.ingest.parse import ParsedPiece
from articles.ingest.prepare import prepare_piece
from articles.ingest.reading import PieceInput, RawPiece, as_raw_piece, too_large
from articles.text import collapse_spaces, fingerprint_and_word_count, slug_for


@dataclass
class StagedPiece:
    """A piece ready to load; `error` set means it failed before reaching the database."""

    raw: RawPiece
    sha256: str
    encoding: str = ""
    parsed: ParsedPiece | None = None
    error: str = ""
    warnings: list[str] = field(default_factory=list)
    source_name: str = ""
    slug: str = ""
    fingerprint: str = ""
    word_count: int = 0

    @property
    def ok(self) -> bool:
        return not self.error


def stage_piece(item: PieceInput, *, clean: bool, max_bytes: int, source: str | None = None) -> StagedPiece:
    """Read (when `item` is a path), decode, parse and clean a piece; never raise for bad input, return a staged
    piece with `error` instead.

    `source` names the outlet when the caller knows it better than the piece (it overrides the footer's).
    """
    raw = as_raw_piece(item, max_bytes=max_bytes)
    staged = StagedPiece(raw=raw, sha256=hashlib.sha256(raw.data).hexdigest())
    if raw.error:
        staged.error = raw.error
        return staged
    if len(raw.data) > max_bytes:
        staged.error = too_large(len(raw.data), max_bytes)
        return staged
    try:
        decoded = decode_bytes(raw.data, max_bytes=max_bytes)
    except DecodeError as error:
        staged.error = str(error)
        return staged
    staged.encoding = decoded.encoding
    try:
        parsed = prepare_piece(decoded.text, clean=clean)
    except Exception as error:
        staged.error = f"The piece could not be parsed ({type(error).__name__}: {error})."
        return staged
    staged.parsed = parsed
    staged.warnings = [*decoded.warnings, *parsed.warnings]
    if not parsed.body.strip():
        staged.error = "The piece has a title but no body text."
        return staged
    if decoded.encoding not in ("utf-8", "ascii"):
        staged.warnings.append(f"Decoded as {decoded.encoding}, not UTF-8.")
    staged.source_name = collapse_spaces(source or parsed.source_name or "")
    if source and parsed.source_name and source.casefold() != parsed.source_name.casefold():
        staged.warnings.append(f"The piece names its source as “{parsed.source_name}”; imported under “{source}”.")
    if not staged.source_name:
        staged.warnings.append("The piece does not name its source; imported without one.")
    staged.slug = slug_for(parsed.title)
    staged.fingerprint, staged.word_count = fingerprint_and_word_count(parsed.body)
    return staged


def stage_chunk(chunk: list[PieceInput], *, clean: bool, max_bytes: int, source: str | None) -> list[StagedPiece]:
    """Stage each piece of `chunk`, in order."""
    return [stage_piece(item, clean=clean, max_bytes=max_bytes, source=source) for item in chunk]
