"""The import pipeline's entry points: the command, the API and the admin all come through here.

`import_pieces` streams pieces in batches: stage each batch (read, decode, parse, clean; pure Python), then load it
in one transaction. Memory stays bounded by the batch size whatever the number of pieces, and a crash loses at
most the batch in flight, which a re-run then imports as if nothing had happened.
"""

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from typing import Any

from django.conf import settings as django_settings
from django.db import connection

from articles import workflow
from articles.ingest import formats, runs
from articles.ingest.load import LoadSettings, PieceResult, load_batch
from articles.ingest.reading import (
    PieceFile,
    PieceInput,
    RawPiece,
    check_paths,
    document_pieces,
    iter_piece_inputs,
    pieces_by_content,
)
from articles.ingest.staging import stage_chunk
from articles.ingest.workers import stage_in_parallel
from articles.models import Article, ImportBatch, ImportRecord

OUTCOMES = list(ImportRecord.Outcome.values)
ORIGIN_MAX = ImportBatch._meta.get_field("origin").max_length
IMPORT_CACHE_KIB = 32 * 1024
logger = logging.getLogger(__name__)


@dataclass
class ImportOptions:
    """How to import: the same options whichever door the pieces come through."""

    source: str | None = None
    status: str = Article.Status.DRAFT
    dry_run: bool = False
    clean: bool = True
    batch_size: int = 500
    channel: str = ImportBatch.Channel.PYTHON
    user: Any = None
    max_bytes: int | None = None
    workers: int | None = None

    def __post_init__(self):
        if self.status not in Article.Status.values:
            raise ValueError(f"Unknown status {self.status!r}; choose from {', '.join(Article.Status.values)}.")
        if self.batch_size < 1:
            raise ValueError("The batch size must be at least 1.")

    @property
    def byte_limit(self) -> int:
        return self.max_bytes or django_settings.NEWSROOM_IMPORT_MAX_BYTES

    def describe(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "status": self.status,
            "dry_run": self.dry_run,
            "clean": self.clean,
            "batch_size": self.batch_size,
        }


@dataclass
class ImportReport:
    """The outcome counts of one import run, and its results when they were kept."""

    batch_id: int | None
    counts: Counter = field(default_factory=Counter)
    results: list[PieceResult] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def failed(self) -> int:
        return self.counts[ImportRecord.Outcome.FAILED]

    def summary(self) -> dict[str, int]:
        return {outcome: self.counts[outcome] for outcome in OUTCOMES}


class ImportInterrupted(KeyboardInterrupt):
    """The import was stopped by Ctrl-C (SIGINT); `report` says what had been stored, and its batch is marked
    interrupted. A KeyboardInterrupt still, so that callers that do not look for it stop as they would."""

    def __init__(self, report: ImportReport):
        super().__init__(f"Import interrupted after {report.total} pieces.")
        self.report = report


def import_pieces(
    pieces: Iterable[PieceInput],
    options: ImportOptions,
    *,
    on_result: Callable[[PieceResult], None] | None = None,
    keep_results: bool = True,
    batch: ImportBatch | None = None,
    batch_origin: str = "",
    batch_extra: dict | None = None,
    batch_fields: dict | None = None,
) -> ImportReport:
    """Import `pieces` (bytes in hand, or files to read) batch by batch and return the report; `on_result` sees
    each result as soon as it is known.

    `batch` is the batch the pieces were queued as (`ingest.queued`), run here in place of a new one; its report
    then counts every piece the batch has stored, on earlier attempts too. Otherwise a new batch is started, with
    `batch_origin` (the document the pieces were split from) and `batch_extra` (what the caller wants kept with the
    run, e.g. its feed) stored on it, and `batch_fields` set on its row as it is created (a feed's batch is linked to
    its feed).

    Stopped by Ctrl-C, the import raises `ImportInterrupted` with the report of what was stored; stopped by an
    error, it raises that error. Either way its batch is marked interrupted with the counts of its stored pieces.
    """
    started = time.perf_counter()
    user = _user_or_none(options.user)
    if user is not None and options.status == Article.Status.PUBLISHED:
        workflow.require_publication_right(user, None, status=options.status, published_at=None)
    stored_before = Counter()
    if batch is not None:
        runs.resume_batch(batch)
        stored_before.update(runs.stored_counts(batch.pk))
    elif not options.dry_run:
        described = options.describe() | ({"extra": batch_extra} if batch_extra else {})
        batch = runs.start_batch(
            channel=options.channel,
            initiated_by=user,
            options=described,
            origin=batch_origin[:ORIGIN_MAX],
            **(batch_fields or {}),
        )
    report = ImportReport(batch_id=batch.pk if batch else None, counts=stored_before)
    load_settings = LoadSettings(status=options.status, dry_run=options.dry_run, user=user)
    stage = partial(stage_chunk, clean=options.clean, max_bytes=options.byte_limit, source=options.source)
    staged_batches = stage_in_parallel(_chunks(pieces, options.batch_size), stage, workers=options.workers)
    try:
        # closing(): stopped early, the staging workers are shut down before the batch is marked.
        with _bulk_write_settings(), closing(staged_batches):
            for number, staged in enumerate(staged_batches):
                if batch is not None and number:
                    # The heartbeat with the counts so far, before each transaction but the first; the last one's
                    # counts come with the batch's end (`finish_batch`): a one-transaction import (a feed's poll)
                    # writes no heartbeat of its own.
                    runs.record_progress(batch, report.summary())
                for result in load_batch(staged, batch=batch, settings=load_settings):
                    report.counts[result.outcome] += 1
                    if keep_results:
                        report.results.append(result)
                    if on_result is not None:
                        on_result(result)
                _forget_logged_queries()
    except BaseException as error:
        report.seconds = time.perf_counter() - started
        report.interrupted = True
        if batch is not None:
            _mark_interrupted(batch, report)
        if isinstance(error, KeyboardInterrupt) and not isinstance(error, ImportInterrupted):
            raise ImportInterrupted(report) from error
        raise
    report.seconds = time.perf_counter() - started
    if batch is not None:
        runs.finish_batch(batch, report.summary())
    return report


def _mark_interrupted(batch: ImportBatch, report: ImportReport) -> None:
    """Mark `batch` interrupted and make the report's counts what was stored (a transaction may have been committed
    just before the stop, its results not yet counted). Failing that (the database is what failed), leave the batch
    to the next import, which marks it once this process is gone."""
    try:
        report.counts = Counter(runs.interrupt_batch(batch))
    except Exception:
        logger.exception("Import batch %s could not be marked interrupted.", batch.pk)


def import_paths(
    paths: Iterable[str],
    options: ImportOptions,
    *,
    pattern: str = "*.txt",
    on_result: Callable[[PieceResult], None] | None = None,
    keep_results: bool = False,
) -> ImportReport:
    """Import every file under `paths` ("-" for standard input); raise `MissingPathError` for a path not there."""
    paths = check_paths(paths)
    pieces = iter_piece_inputs(paths, pattern=pattern, max_bytes=options.byte_limit)
    return import_pieces(pieces, options, on_result=on_result, keep_results=keep_results)


def import_files(files: Iterable[tuple[str, bytes] | PieceInput], options: ImportOptions) -> ImportReport:
    """Import uploaded or in-memory files, given as (name, bytes) pairs or as pieces (a `PieceFile` is read when
    it is staged, so uploads on disk are read one at a time); the report keeps every result.

    A file that is a document of items (a feed, an export, JSON lines: told by its content) is imported item by
    item, each a piece named "<name>#item-N"."""
    return import_pieces(_split_documents(files, options.byte_limit), options, keep_results=True)


def import_bytes(data: bytes, *, origin: str, options: ImportOptions) -> PieceResult:
    """Import one piece given as bytes (an API request body, a pasted text) and return its result."""
    return import_files([(origin, data)], options).results[0]


def _split_documents(files: Iterable[tuple[str, bytes] | PieceInput], max_bytes: int) -> Iterator[PieceInput]:
    for item in files:
        if isinstance(item, tuple):
            origin, data = item
            fmt = formats.sniff_format(data[: formats.SNIFF_BYTES])
            if fmt in formats.ITEM_FORMATS:
                yield from document_pieces(data, origin, fmt)
            else:
                yield RawPiece(origin=origin, data=data, size=len(data))
        elif isinstance(item, PieceFile):
            yield from pieces_by_content(item.path, max_bytes=max_bytes, origin=item.origin)
        else:
            yield item


@contextmanager
def _bulk_write_settings():
    """On SQLite, give a long import a 32 MB page cache (the default is 2 MB), and restore it after.

    The unique indexes the import probes and the full-text index it extends outgrow the default cache within a
    few thousand articles; measured, the larger cache makes an import of 10,000 pieces about 7% faster.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        cache_size = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {cache_size}")


def _forget_logged_queries() -> None:
    """With DEBUG on, Django keeps the last 9,000 statements with their values filled in; a batch's multi-row inserts
    carry every text it stores, megabytes a batch. Drop them after each batch, as Django does at each request,
    unless someone is counting this connection's queries (a test)."""
    if django_settings.DEBUG and not connection.force_debug_cursor:
        connection.queries_log.clear()


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _user_or_none(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None
