"""Import batches say whether their run is running, finished or interrupted; a dead run's batch is found and marked
by the next import, and a run stopped by an error or Ctrl-C marks its own.

A killed process and a real Ctrl-C are in test_crash_and_concurrency.py; here the runs are in this process, and a
dead run is a batch left as a real one would leave it: its process gone, or its heartbeat long silent.
"""

import os
import socket
import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.ingest import ImportInterrupted, ImportOptions, RawPiece, import_files, import_pieces, runs, write
from articles.models import ImportBatch, ImportRecord
from tests.importing.conftest import piece_text

pytestmark = pytest.mark.django_db

OUTCOMES = list(ImportRecord.Outcome.values)


def counts(**outcomes) -> dict[str, int]:
    return {outcome: outcomes.get(outcome, 0) for outcome in OUTCOMES}


def pieces(n: int, *, start: int = 0) -> list[RawPiece]:
    return [
        RawPiece(origin=f"{i}.txt", data=piece_text(f"Harbour report {i}", paragraphs=[f"Story {i} told."]).encode())
        for i in range(start, start + n)
    ]


def gone_pid() -> int:
    """Return the id of a process that has ended (and been reaped)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def left_running(*, pid: int, host: str | None = None, silent_for=timedelta(0), stored: int = 2) -> ImportBatch:
    """Return a batch as a run leaves it when it dies: running, with `stored` pieces' records and a heartbeat."""
    beat = timezone.now() - silent_for
    host = host or socket.gethostname()
    started = beat - timedelta(seconds=5)
    batch = ImportBatch.objects.create(status="running", host=host, pid=pid, started_at=started, heartbeat_at=beat)
    for i in range(stored):
        ImportRecord.objects.create(batch=batch, origin=f"{i}.txt", raw=b"", raw_sha256="0" * 64, outcome="created")
    ImportRecord.objects.create(batch=batch, origin="bad.txt", raw=b"", raw_sha256="0" * 64, outcome="failed")
    return batch


def test_a_finished_run_is_finished_with_its_counts_host_pid_and_heartbeat():
    report = import_files([(p.origin, p.data) for p in pieces(3)], ImportOptions(batch_size=2))
    batch = ImportBatch.objects.get(pk=report.batch_id)
    assert batch.status == "finished" and batch.counts == counts(created=3)
    assert (batch.host, batch.pid) == (socket.gethostname(), os.getpid())
    assert batch.started_at <= batch.heartbeat_at <= batch.finished_at


def test_the_heartbeat_carries_the_counts_after_each_stored_transaction():
    seen = []

    def watch(result):
        if result.origin.endswith(("1.txt", "3.txt")):  # the last piece of each transaction of two
            seen.append(ImportBatch.objects.values_list("counts", flat=True).get())

    import_pieces(pieces(4), ImportOptions(batch_size=2), on_result=watch)
    # The counts a piece sees are those of the transactions before its own.
    assert seen == [{}, counts(created=2)]


def test_an_import_marks_a_running_batch_interrupted_when_its_process_is_gone():
    dead = left_running(pid=gone_pid())
    import_files([("a.txt", piece_text().encode())], ImportOptions())
    dead.refresh_from_db()
    assert dead.status == "interrupted" and dead.counts == counts(created=2, failed=1)
    assert dead.finished_at == dead.heartbeat_at, "its end is its last sign of life"


def test_a_running_batch_whose_heartbeat_is_long_silent_is_interrupted_wherever_it_ran():
    silent = left_running(pid=os.getppid(), host="another-machine", silent_for=runs.SILENT_FOR + timedelta(minutes=1))
    import_files([("a.txt", piece_text().encode())], ImportOptions())
    silent.refresh_from_db()
    assert silent.status == "interrupted" and silent.counts == counts(created=2, failed=1)


@pytest.mark.parametrize(
    "run",
    ["alive on this host", "in this very process", "elsewhere, recently heard from"],
)
def test_a_batch_whose_run_may_be_alive_is_left_running(run):
    pid, host = {
        "alive on this host": (os.getppid(), None),
        "in this very process": (os.getpid(), None),
        "elsewhere, recently heard from": (gone_pid(), "another-machine"),
    }[run]
    alive = left_running(pid=pid, host=host, silent_for=timedelta(minutes=5))
    import_files([("a.txt", piece_text().encode())], ImportOptions())
    alive.refresh_from_db()
    assert alive.status == "running"


def test_a_run_stopped_by_an_error_marks_its_batch_interrupted_with_what_it_stored(monkeypatch):
    write_records = write.write_records
    calls = []

    def fail_on_the_second_transaction(decisions, **kwargs):
        calls.append(len(decisions))
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        return write_records(decisions, **kwargs)

    monkeypatch.setattr(write, "write_records", fail_on_the_second_transaction)
    with pytest.raises(RuntimeError, match="disk on fire"):
        import_pieces(pieces(6), ImportOptions(batch_size=2))
    batch = ImportBatch.objects.get()
    assert batch.status == "interrupted" and batch.counts == counts(created=2)
    assert batch.finished_at is not None


def test_a_run_stopped_by_ctrl_c_reports_what_it_stored_and_marks_its_batch(monkeypatch):
    def interrupt_while_counting(result):
        if result.origin == "1.txt":
            raise KeyboardInterrupt

    with pytest.raises(ImportInterrupted) as stopped:
        import_pieces(pieces(6), ImportOptions(batch_size=3), on_result=interrupt_while_counting)
    report = stopped.value.report
    batch = ImportBatch.objects.get(pk=report.batch_id)
    # The stop came after the first transaction (three pieces) was committed, while its results were being counted:
    # both the batch and the report say what was stored, not what had been counted.
    assert batch.status == "interrupted" and batch.counts == counts(created=3)
    assert report.interrupted and report.summary() == counts(created=3)
    assert isinstance(stopped.value, KeyboardInterrupt)
