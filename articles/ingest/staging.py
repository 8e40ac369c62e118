"""Turn raw pieces into what the loader needs: decoded, parsed, cleaned and checked, or failed with a reason.

Pure Python with no database access and no Django settings, so batches can be staged in worker processes while
the main process writes the previous batch to the database.
"""

import hashlib
import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing.connection import wait

from articles.ingest.decode import DecodeError, decode_bytes
from articles.ingest.parse import ParsedPiece
from articles.ingest.prepare import prepare_piece
from articles.ingest.reading import PieceInput, RawPiece, as_raw_piece, too_large
from articles.text import collapse_spaces, fingerprint_and_word_count, unique_slug


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
    staged.slug = unique_slug(parsed.title)
    staged.fingerprint, staged.word_count = fingerprint_and_word_count(parsed.body)
    return staged


def stage_chunk(chunk: list[PieceInput], *, clean: bool, max_bytes: int, source: str | None) -> list[StagedPiece]:
    """Stage each piece of `chunk`, in order."""
    return [stage_piece(item, clean=clean, max_bytes=max_bytes, source=source) for item in chunk]


def stage_in_parallel(
    chunks: Iterable[list[PieceInput]],
    stage: Callable[[list[PieceInput]], list[StagedPiece]],
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
    # The forkserver loads the staging code and the word frequencies once; every worker is forked from it with both.
    context.set_forkserver_preload(["articles.ingest.preload"])
    with (
        ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_exit_with_parent) as pool,
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="staging-start") as starter,
    ):
        # Starting the forkserver blocks its caller for a fifth of a second, and the workers take longer still to
        # be ready: a thread hands them the next chunks while this process stages the first one, so that the
        # caller can write it meanwhile.
        ahead = [second, *islice(iterator, workers)]
        started = starter.submit(_start_workers, pool, stage, ahead)
        try:
            yield stage(first)
            pending = started.result()
            for chunk in iterator:
                yield pending.popleft().result()
                pending.append(pool.submit(stage, chunk))
            while pending:
                yield pending.popleft().result()
        except BaseException:
            # Stopped (Ctrl-C, an error, the caller closing this generator): drop the chunks not started yet
            # rather than stage them for nothing; the workers finish the chunk in hand and exit.
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def _start_workers(pool, stage, chunks) -> deque:
    """Submit the first chunks to the pool, which starts the forkserver and the workers from this thread.

    Ctrl-C in a terminal sends SIGINT to every process of the import; the main process stops the workers itself.
    Blocking SIGINT in this thread keeps it blocked in the forkserver started from here and in every worker it
    forks, so none of them prints a traceback of its own, even while starting up.
    """
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    return deque(pool.submit(stage, chunk) for chunk in chunks)


def _exit_with_parent() -> None:
    """Make this staging worker exit once the importing process that started it is gone.

    An import stopped normally shuts its workers down; one killed outright (SIGKILL, the OOM killer) cannot, and
    its workers would wait for work forever, keeping the forkserver alive with them. The parent's sentinel (a pipe
    the parent holds open) becomes readable when the parent dies, however it dies.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the importing process shuts its workers down itself
    sentinel = multiprocessing.parent_process().sentinel

    def watch() -> None:
        wait([sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
