"""An import run's `ImportBatch`: started `running`, kept alive while it stores pieces, ended `finished` or
`interrupted`.

A run stopped by Ctrl-C or an error marks its own batch on the way out. One that dies without a word (SIGKILL, the
OOM killer, a power cut) cannot: the next import does, once the batch's process is gone from this host, or its
heartbeat (brought up to date, with the counts stored so far, before each of its transactions after the first)
has been silent for longer than any transaction takes, which also covers runs on other machines. A dead run's
counts are taken from its import records, which are exactly what it stored.
"""

import os
import socket
from datetime import timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from articles.ingest import tally
from articles.models import ImportBatch, ImportRecord

Status = ImportBatch.Status
# A transaction of 500 pieces takes seconds, and a writer waits at most a minute or so for a lock: an hour of
# silence means the run is gone.
SILENT_FOR = timedelta(hours=1)


def start_batch(**fields) -> ImportBatch:
    """Mark the batches of dead runs interrupted, then create this run's batch, running in this process."""
    mark_dead_batches_interrupted()
    now = timezone.now()
    return ImportBatch.objects.create(
        status=Status.RUNNING, started_at=now, heartbeat_at=now, host=_host(), pid=os.getpid(), **fields
    )


def resume_batch(batch: ImportBatch) -> None:
    """Mark `batch` (a queued import, or one a dead worker left) running in this process, from now."""
    batch.status, batch.finished_at = Status.RUNNING, None
    batch.heartbeat_at, batch.host, batch.pid = timezone.now(), _host(), os.getpid()
    batch.save(update_fields=["status", "heartbeat_at", "finished_at", "host", "pid"])


def record_progress(batch: ImportBatch, counts: dict[str, int]) -> None:
    """Say that `batch`'s run is alive and how far it got: one UPDATE between two stored transactions."""
    ImportBatch.objects.filter(pk=batch.pk).update(heartbeat_at=timezone.now(), counts=counts)


def finish_batch(batch: ImportBatch, counts: dict[str, int]) -> None:
    """Mark `batch` finished with its counts, and add its records to the tallies, in one transaction (one write
    lock on SQLite, which a feed's poll, a small batch, takes a handful of times)."""
    now = timezone.now()
    batch.status, batch.finished_at, batch.heartbeat_at, batch.counts = Status.FINISHED, now, now, counts
    with transaction.atomic():
        batch.save(update_fields=["status", "finished_at", "heartbeat_at", "counts"])
        tally.tally_batch(batch.pk)


def interrupt_batch(batch: ImportBatch) -> dict[str, int]:
    """Mark `batch` interrupted now, with the counts of what its run stored; return those counts."""
    counts = stored_counts(batch.pk)
    now = timezone.now()
    batch.status, batch.finished_at, batch.counts = Status.INTERRUPTED, now, counts
    batch.save(update_fields=["status", "finished_at", "counts"])
    tally.tally_batch(batch.pk)
    return counts


def stored_counts(batch_id: int) -> dict[str, int]:
    """Return how many pieces of each outcome the batch's run stored, from its import records."""
    found = dict(
        ImportRecord.objects.filter(batch_id=batch_id)
        .order_by()
        .values_list("outcome")
        .annotate(pieces=Count("pk"))
        .values_list("outcome", "pieces")
    )
    return {outcome: found.get(outcome, 0) for outcome in ImportRecord.Outcome.values}


def mark_dead_batches_interrupted() -> list[int]:
    """Mark interrupted every running batch whose run is dead, with the counts it stored; return their ids.

    Its end is taken to be its last heartbeat, the last moment it was known to be alive.
    """
    now = timezone.now()
    marked = []
    running = ImportBatch.objects.filter(status=Status.RUNNING).only("host", "pid", "started_at", "heartbeat_at")
    for batch in running:
        if not _is_dead(batch, now):
            continue
        still_running = ImportBatch.objects.filter(pk=batch.pk, status=Status.RUNNING)
        ended = batch.heartbeat_at or batch.started_at
        if still_running.update(status=Status.INTERRUPTED, finished_at=ended, counts=stored_counts(batch.pk)):
            marked.append(batch.pk)
            tally.tally_batch(batch.pk)
    return marked


def _is_dead(batch: ImportBatch, now) -> bool:
    if batch.host == _host() and batch.pid:
        if batch.pid == os.getpid():
            return False  # another import in this very process (a thread of a web server)
        if not _process_alive(batch.pid):
            return True
    return now - (batch.heartbeat_at or batch.started_at) > SILENT_FOR


def _process_alive(pid: int) -> bool:
    """Return whether process `pid` runs on this host (a process killed but not yet reaped by its parent does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    try:
        with open(f"/proc/{pid}/stat", "rb") as status:
            return status.read().rpartition(b")")[2].split()[0] != b"Z"
    except (OSError, IndexError):
        return True  # no /proc here: the process exists


def _host() -> str:
    return socket.gethostname()[:255]
