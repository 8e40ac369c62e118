"""Imports run on the task queue: the pieces' bytes are kept in the database, and a worker on any machine imports
them, in the batch they were queued as, through the one pipeline (`importer.import_pieces`).

`queue_import` stores the pieces as `QueuedPiece` rows and a `queued` batch claimed for its first task, and
enqueues `run_queued_import(batch_id, claim_token)` once that commits. The task re-reads the batch, refuses to run
on a claim that is no longer its own, and deletes each queued piece once the import has recorded it. Run again
(delivered twice, or after a worker died and its claim lapsed), it starts after the pieces already recorded: a
batch's import records are its pieces in order, each recorded once, because only the holder of the batch's claim
writes them. The scheduler enqueues every queued import that nobody holds and that has attempts left
(`enqueue_due_imports`), which is how the work of a dead worker is taken up again.
"""

import hashlib
import logging
import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.tasks import task

from articles import claims, taskqueue, workflow
from articles.ingest import formats
from articles.ingest.importer import ImportOptions, ImportReport, import_pieces
from articles.ingest.reading import PieceFile, PieceInput, RawPiece, as_raw_piece, document_pieces
from articles.models import Article, ImportBatch, ImportRecord, QueuedPiece

logger = logging.getLogger(__name__)
# Pieces stored per INSERT when queueing, and read per query when importing: bounded by bytes too, since one
# piece may be megabytes.
ROWS_AT_ONCE = 200
BYTES_AT_ONCE = 8 * 1024 * 1024


class ClaimLost(Exception):
    """The batch's claim passed to another worker while this one was importing it (its lease lapsed unrenewed)."""


def should_queue(pieces: Sequence[PieceInput | tuple[str, bytes]]) -> bool:
    """Return whether an import of `pieces` from the admin or the API runs on the queue (and answers 202 Accepted)
    rather than in the request: more pieces than NEWSROOM_SYNC_IMPORT_MAX_PIECES, or more bytes altogether than
    NEWSROOM_SYNC_IMPORT_MAX_BYTES."""
    if len(pieces) > settings.NEWSROOM_SYNC_IMPORT_MAX_PIECES:
        return True
    return sum(_size(piece) for piece in pieces) > settings.NEWSROOM_SYNC_IMPORT_MAX_BYTES


def queue_import(files: Iterable[PieceInput | tuple[str, bytes]], options: ImportOptions) -> ImportBatch:
    """Keep `files` ((name, bytes) pairs, or pieces as `import_files` takes them) in the database as a queued
    import, and enqueue its task once the caller's transaction commits; return its batch, `queued`.

    Files are read now, one at a time (a temporary upload is gone by the time a worker runs); one that cannot be
    read is kept with its reason and recorded as failed like any other. The user's right to publish is checked
    now, as the import itself will check it again.
    """
    if options.dry_run:
        raise ValueError("A dry run reports at once; it cannot be queued.")
    user = options.user if getattr(options.user, "is_authenticated", False) else None
    if user is not None and options.status == Article.Status.PUBLISHED:
        workflow.require_publication_right(user, None, status=options.status, published_at=None)
    described = options.describe() | ({"max_bytes": options.max_bytes} if options.max_bytes else {})
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            status=ImportBatch.Status.QUEUED, channel=options.channel, initiated_by=user, options=described
        )
        rows, size, position = [], 0, 0
        for item in files:
            raw = _raw(item, max_bytes=options.byte_limit)
            rows.append(_queued_piece(batch, position, raw))
            position, size = position + 1, size + len(raw.data)
            if len(rows) >= ROWS_AT_ONCE or size >= BYTES_AT_ONCE:
                QueuedPiece.objects.bulk_create(rows)
                rows, size = [], 0
        QueuedPiece.objects.bulk_create(rows)
        claim = claims.claim_row(ImportBatch, batch.pk)
        taskqueue.enqueue_on_commit(run_queued_import, batch.pk, claim.token)
    batch.refresh_from_db()
    return batch


@task
def run_queued_import(batch_id: int, claim_token: str) -> dict:
    """Import the queued pieces of batch `batch_id` not yet recorded, if `claim_token` still holds the batch.

    Return the batch's counts (every piece it has stored), or why nothing was done. An error leaves the claim to
    lapse, after which the scheduler enqueues the import again, up to NEWSROOM_TASK_MAX_ATTEMPTS times.
    """
    claim = claims.Claim(ImportBatch, batch_id, claim_token)
    if not claims.renew(claim, attempts=F("attempts") + 1):
        logger.info("Queued import %s: the claim is not this task's (done already, or passed on); skipped.", batch_id)
        return {"batch": batch_id, "skipped": "The batch's claim is not this task's: its work is done or passed on."}
    batch = ImportBatch.objects.select_related("initiated_by").get(pk=batch_id)
    try:
        report = _import_pending(batch, claim)
    except ClaimLost:
        raise
    except Exception as error:
        _record_error(batch_id, error)
        raise
    claims.release(claim, error="")
    return {"batch": batch_id, **report.summary()}


def enqueue_due_imports() -> int:
    """Claim and enqueue every queued import that nobody holds and has attempts left; return how many.

    Due: batches still `queued` (their first task may never have been enqueued) and batches with queued pieces not
    yet recorded (a worker died, or an attempt failed), once their claim has lapsed.
    """
    # The condition is part of the query that claims, not a list of ids read before it: a batch that a worker
    # finishes between the two would otherwise be claimed and enqueued once more.
    has_pieces = Exists(QueuedPiece.objects.filter(batch_id=OuterRef("pk")))
    due = ImportBatch.objects.filter(
        Q(status=ImportBatch.Status.QUEUED) | Q(has_pieces), attempts__lt=settings.NEWSROOM_TASK_MAX_ATTEMPTS
    )
    return len(taskqueue.claim_and_enqueue(due, run_queued_import))


def requeue_import(batch_id: int) -> bool:
    """Give a queued import that used up its attempts a fresh start (an editor's retry); return whether it was
    enqueued (it has pieces left and nobody holds it)."""
    if not QueuedPiece.objects.filter(batch_id=batch_id).exists():
        return False
    with transaction.atomic():
        claim = claims.claim_row(ImportBatch, batch_id, attempts=0, error="")
        if claim is None:
            return False
        taskqueue.enqueue_on_commit(run_queued_import, batch_id, claim.token)
    return True


def _import_pending(batch: ImportBatch, claim: claims.Claim) -> ImportReport:
    options = _options_of(batch)
    start, skip = _resume_point(batch)
    positions: deque[tuple[int, bool]] = deque()
    pieces = _pending_pieces(batch.pk, start=start, skip=skip, positions=positions)
    forget = _Forgetting(batch.pk, claim, positions, every=options.batch_size)
    report = import_pieces(pieces, options, on_result=forget, keep_results=False, batch=batch)
    forget.flush()
    return report


def _resume_point(batch: ImportBatch) -> tuple[int, int]:
    """Return the position of the first queued piece not wholly recorded in `batch`, and how many of its items
    (when it is a document) are; forget the queued pieces before it, whose records exist.

    A batch's records are its pieces in order (one record a text piece, one an item of a document); a piece whose
    records exist but whose queued copy a dead worker could not forget is found by its records, looked for in
    order after the previous piece's. (A piece queued twice in one import with the same name and bytes may be
    taken for the first copy's records: its import would have been `unchanged`, the articles are the same.)
    """
    after_id, done_through = 0, -1
    rows = QueuedPiece.objects.filter(batch=batch).order_by("position").values_list("position", "origin", "raw_sha256")
    for position, origin, sha256 in rows.iterator(chunk_size=ROWS_AT_ONCE):
        later = ImportRecord.objects.filter(batch=batch, pk__gt=after_id).order_by("pk")
        raw = bytes(QueuedPiece.objects.filter(batch=batch, position=position).values_list("raw", flat=True)[0])
        fmt = _document_format(raw)
        if fmt is None:
            found = later.filter(origin=origin, raw_sha256=sha256).values_list("pk", flat=True).first()
            if found is None:
                break
            after_id, done_through = found, position
            continue
        items = list(later.filter(origin__startswith=f"{origin}#item-").values_list("pk", flat=True))
        if not items:
            break
        if len(items) < sum(1 for _ in document_pieces(raw, origin, fmt)):
            QueuedPiece.objects.filter(batch=batch, position__lte=done_through).delete()
            return position, len(items)
        after_id, done_through = items[-1], position
    QueuedPiece.objects.filter(batch=batch, position__lte=done_through).delete()
    return done_through + 1, 0


def _document_format(raw) -> str | None:
    """Return the format of a queued piece that is a document of items (a feed, JSON lines...), else None."""
    fmt = formats.sniff_format(bytes(raw[: formats.SNIFF_BYTES]))
    return fmt if fmt in formats.ITEM_FORMATS else None


class _Forgetting:
    """Called with each result, in the order of the pieces: delete the queued pieces recorded so far, once a
    transaction's worth of them is in, and renew the claim (or stop, should it have passed to another worker).

    A queued document is forgotten once its last item is recorded."""

    def __init__(self, batch_id: int, claim: claims.Claim, positions: deque, *, every: int):
        self.batch_id, self.claim, self.positions, self.every = batch_id, claim, positions, every
        self.last = None
        self.pending = 0

    def __call__(self, result) -> None:
        position, whole = self.positions.popleft()
        self.last = position if whole else position - 1
        self.pending += 1
        if self.pending >= self.every:
            self.flush()
            if not claims.renew(self.claim):
                raise ClaimLost(f"The claim on import batch {self.batch_id} passed to another worker.")

    def flush(self) -> None:
        if self.last is not None and self.pending:
            QueuedPiece.objects.filter(batch_id=self.batch_id, position__lte=self.last).delete()
        self.pending = 0


def _pending_pieces(batch_id: int, *, start: int, skip: int, positions: deque) -> Iterator[RawPiece]:
    """Yield the batch's queued pieces from position `start`, in order, a page at a time, a document as its items
    (the first `skip` of the first one left out: recorded already); note each piece's position, and whether it is
    the last of its queued piece."""
    after = start - 1
    while True:
        page = list(
            QueuedPiece.objects.filter(batch_id=batch_id, position__gt=after)
            .order_by("position")
            .values_list("position", "origin", "raw", "error")[:ROWS_AT_ONCE]
        )
        if not page:
            return
        for position, origin, raw, error in page:
            data = bytes(raw)
            fmt = None if error else _document_format(data)
            if fmt is None:
                positions.append((position, True))
                yield RawPiece(origin=origin, data=data, error=error, size=len(data))
                continue
            items = document_pieces(data, origin, fmt)
            previous = None
            for index, piece in enumerate(items):
                if position == start and index < skip:
                    continue
                if previous is not None:
                    positions.append((position, False))
                    yield previous
                previous = piece
            if previous is None:  # an empty document: nothing to record
                QueuedPiece.objects.filter(batch_id=batch_id, position=position).delete()
                continue
            positions.append((position, True))
            yield previous
        after = page[-1][0]


def _options_of(batch: ImportBatch) -> ImportOptions:
    kept = batch.options or {}
    return ImportOptions(
        source=kept.get("source"),
        status=kept.get("status", Article.Status.DRAFT),
        clean=kept.get("clean", True),
        batch_size=kept.get("batch_size", 500),
        channel=batch.channel,
        user=batch.initiated_by,
        max_bytes=kept.get("max_bytes"),
    )


def _record_error(batch_id: int, error: Exception) -> None:
    try:
        ImportBatch.objects.filter(pk=batch_id).update(error=f"{type(error).__name__}: {error}"[:10_000])
    except Exception:
        logger.exception("Queued import %s: its error could not be recorded.", batch_id)


def _queued_piece(batch: ImportBatch, position: int, raw: RawPiece) -> QueuedPiece:
    sha256 = hashlib.sha256(raw.data).hexdigest()
    return QueuedPiece(
        batch=batch, position=position, origin=raw.origin, raw=raw.data, raw_sha256=sha256, error=raw.error
    )


def _raw(item, *, max_bytes: int) -> RawPiece:
    if isinstance(item, tuple):
        origin, data = item
        return RawPiece(origin=origin, data=data, size=len(data))
    return as_raw_piece(item, max_bytes=max_bytes)


def _size(piece) -> int:
    if isinstance(piece, tuple):
        return len(piece[1])
    if isinstance(piece, RawPiece):
        return len(piece.data)
    path = piece.path if isinstance(piece, PieceFile) else piece
    try:
        return os.stat(path).st_size
    except OSError:
        return 0
