"""Turn raw pieces into what the loader needs: decoded, parsed, cleaned and checked, or failed with a reason.

Pure Python with no database access and no Django settings, so batches can be staged in worker processes while
the main process writes the previous batch to the database.
"""

import hashlib
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice

from articles.ingest.decode import DecodeError, decode_bytes
from articles.ingest.parse import ParsedPiece
from articles.ingest.prepare import prepare_piece
from articles.ingest.reading import RawPiece, too_large
from articles.text import collapse_spaces, content_fingerprint, count_words, unique_slug


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


def stage_piece(raw: RawPiece, *, clean: bool, max_bytes: int, source: str | None = None) -> StagedPiece:
    """Decode, parse and clean `raw`; never raise for bad input, return a staged piece with `error` instead.

    `source` names the outlet when the caller knows it better than the piece (it overrides the footer's).
    """
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
    staged.slug = unique_slug(parsed.title)
    staged.fingerprint = content_fingerprint(parsed.body)
    staged.word_count = count_words(parsed.body)
    return staged


def stage_chunk(chunk: list[RawPiece], *, clean: bool, max_bytes: int, source: str | None) -> list[StagedPiece]:
    """Stage each piece of `chunk`, in order."""
    return [stage_piece(raw, clean=clean, max_bytes=max_bytes, source=source) for raw in chunk]


def stage_in_parallel(
    chunks: Iterable[list[RawPiece]],
    stage: Callable[[list[RawPiece]], list[StagedPiece]],
    *,
    workers: int | None = None,
) -> Iterator[list[StagedPiece]]:
    """Yield `stage(chunk)` for each chunk, in order, staging up to `workers` chunks ahead in other processes.

    A single chunk (an API call, an admin upload) is staged in this process: starting workers would cost more
    than it saves. Worker processes start from a fresh interpreter (forkserver), never a fork of a process that
    may hold threads and database connections.
    """
    workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    iterator = iter(chunks)
    first = next(iterator, None)
    if first is None:
        return
    second = next(iterator, None)
    if second is None or workers < 2:
        yield stage(first)
        if second is not None:
            yield stage(second)
            yield from map(stage, iterator)
        return
    context = multiprocessing.get_context("forkserver")
    # The forkserver imports the staging code once and every worker is forked from it with the code loaded.
    context.set_forkserver_preload([__name__])
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        # Workers take most of a second to start: give them the next chunks, and stage the first one here meanwhile,
        # so that the caller can write it while they start.
        pending = deque([pool.submit(stage, second)])
        pending.extend(pool.submit(stage, chunk) for chunk in islice(iterator, workers))
        yield stage(first)
        for chunk in iterator:
            yield pending.popleft().result()
            pending.append(pool.submit(stage, chunk))
        while pending:
            yield pending.popleft().result()
