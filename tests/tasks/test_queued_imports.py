"""Imports on the queue (articles/ingest/queued.py), on the suite's database: pieces kept in rows, the task enqueued
on commit, run in the batch it was queued as, idempotent whatever the deliveries.

Tasks are delivered here by calling them (`task.call`) as a worker does; tests/tasks/test_workers.py runs them in
real worker processes.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.ingest import ImportOptions, PieceFile, import_pieces
from articles.ingest.queued import (
    enqueue_due_imports,
    queue_import,
    requeue_import,
    run_queued_import,
    should_queue,
)
from articles.ingest.reading import RawPiece, document_pieces
from articles.models import Article, ImportBatch, ImportRecord, QueuedPiece
from tests.importing.conftest import piece_text

pytestmark = pytest.mark.django_db

SKIPPED = "The batch's claim is not this task's: its work is done or passed on."


def files(n: int, prefix: str = "Queued") -> list[tuple[str, bytes]]:
    return [(f"piece-{i}.txt", piece_text(f"{prefix} story {i}").encode()) for i in range(n)]


def queued_task(batch: ImportBatch) -> DBTaskResult:
    [found] = DBTaskResult.objects.filter(task_path="articles.ingest.queued.run_queued_import")
    assert found.args_kwargs["args"] == [batch.pk, batch.claim_token.hex]
    return found


def deliver(batch: ImportBatch, token: str | None = None) -> dict:
    return run_queued_import.call(batch.pk, token or batch.claim_token.hex)


def test_a_queued_import_keeps_each_piece_verbatim_and_enqueues_its_task_once_committed(
    django_capture_on_commit_callbacks,
):
    pieces = [*files(2), ("legacy.txt", piece_text("Caf\xe9 opens").encode("cp1252"))]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        batch = queue_import(pieces, ImportOptions(status="review", source="Harbour Times"))
    assert len(callbacks) == 1
    assert batch.status == ImportBatch.Status.QUEUED
    assert batch.options["status"] == "review" and batch.options["source"] == "Harbour Times"
    stored = list(QueuedPiece.objects.filter(batch=batch).values_list("position", "origin", "raw"))
    assert [(position, origin, bytes(raw)) for position, origin, raw in stored] == [
        (i, name, data) for i, (name, data) in enumerate(pieces)
    ]
    task = queued_task(batch)
    assert task.status == "READY"
    assert not Article.objects.exists(), "nothing is imported before a worker runs the task"


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_queues_nothing_and_enqueues_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_import(files(2), ImportOptions())
        raise RuntimeError("the request failed after queueing")
    assert not ImportBatch.objects.exists()
    assert not QueuedPiece.objects.exists()
    assert not DBTaskResult.objects.exists(), "the task is enqueued on commit only"

    with transaction.atomic():
        batch = queue_import(files(2), ImportOptions())
        assert not DBTaskResult.objects.exists(), "not before the commit"
    queued_task(batch)


def test_the_task_imports_the_pieces_in_their_batch_and_cleans_up(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        batch = queue_import([*files(3), ("empty.txt", b"")], ImportOptions(status="review"))
    done = deliver(batch)
    batch.refresh_from_db()
    assert done == {"batch": batch.pk, **batch.counts}
    assert batch.counts["created"] == 3 and batch.counts["failed"] == 1
    assert (batch.status, batch.claim_token, batch.claimed_until, batch.attempts) == ("finished", None, None, 1)
    assert ImportBatch.objects.count() == 1, "the import ran in the batch it was queued as"
    assert not QueuedPiece.objects.exists()
    records = ImportRecord.objects.filter(batch=batch).order_by("id")
    assert [record.origin for record in records] == ["piece-0.txt", "piece-1.txt", "piece-2.txt", "empty.txt"]
    assert set(Article.objects.values_list("status", flat=True)) == {"review"}


def test_a_task_delivered_twice_stores_each_piece_once():
    batch = queue_import(files(3), ImportOptions())
    token = batch.claim_token.hex
    first = deliver(batch, token)
    second = deliver(batch, token)
    assert first["created"] == 3
    assert second == {"batch": batch.pk, "skipped": SKIPPED}
    assert ImportRecord.objects.count() == 3 and Article.objects.count() == 3


def test_a_delivery_after_a_worker_died_mid_batch_skips_the_pieces_already_recorded():
    pieces = files(5)
    batch = queue_import(pieces, ImportOptions())
    # The first worker stored two pieces in the batch, then died before it could forget their queued copies.
    done_before = [RawPiece(origin=name, data=data, size=len(data)) for name, data in pieces[:2]]
    import_pieces(done_before, ImportOptions(), batch=ImportBatch.objects.get(pk=batch.pk))
    assert QueuedPiece.objects.filter(batch=batch).count() == 5

    result = deliver(batch)
    assert result["created"] == 5, "the batch's counts cover both attempts"
    origins = list(ImportRecord.objects.filter(batch=batch).order_by("id").values_list("origin", "outcome"))
    assert origins == [(name, "created") for name, _ in pieces], "each piece recorded once, in order"
    assert not QueuedPiece.objects.exists()


def test_a_task_whose_claim_passed_to_another_does_nothing():
    batch = queue_import(files(2), ImportOptions())
    stale = batch.claim_token.hex
    ImportBatch.objects.filter(pk=batch.pk).update(claimed_until=timezone.now() - timedelta(seconds=1))
    assert enqueue_due_imports() == 1, "the lapsed claim is taken again"
    assert deliver(batch, stale) == {"batch": batch.pk, "skipped": SKIPPED}
    batch.refresh_from_db()
    assert batch.status == "queued" and batch.attempts == 0
    assert not ImportRecord.objects.exists()


def test_an_unreadable_file_is_kept_with_its_reason_and_recorded_as_failed(tmp_path):
    readable = tmp_path / "good.txt"
    readable.write_text(piece_text("Readable story"))
    batch = queue_import(
        [
            PieceFile(path=str(readable), origin="upload: good.txt"),
            PieceFile(str(tmp_path / "gone.txt"), "upload: gone"),
        ],
        ImportOptions(),
    )
    readable.unlink()  # a temporary upload is gone long before a worker runs: its bytes were read when queued
    deliver(batch)
    records = {record.origin: record for record in ImportRecord.objects.filter(batch=batch)}
    assert records["upload: good.txt"].outcome == "created"
    assert records["upload: gone"].outcome == "failed"
    assert "cannot be read" in records["upload: gone"].error


def test_a_failed_attempt_keeps_the_pieces_records_the_error_and_is_retried_until_the_attempts_run_out(
    editor, settings
):
    settings.NEWSROOM_TASK_MAX_ATTEMPTS = 2
    batch = queue_import(files(2), ImportOptions(user=editor, status="published"))
    editor.groups.remove(Group.objects.get(name="Editor"))  # the right to publish is checked again by the worker
    editor = type(editor).objects.get(pk=editor.pk)

    with pytest.raises(PermissionDenied):
        deliver(batch)
    batch.refresh_from_db()
    assert batch.status == "queued" and batch.attempts == 1 and "PermissionDenied" in batch.error
    assert QueuedPiece.objects.filter(batch=batch).count() == 2, "nothing lost"
    assert enqueue_due_imports() == 0, "retried once the claim's lease has lapsed, not before"

    ImportBatch.objects.filter(pk=batch.pk).update(claimed_until=timezone.now() - timedelta(seconds=1))
    assert enqueue_due_imports() == 1
    batch.refresh_from_db()
    with pytest.raises(PermissionDenied):
        deliver(batch)
    ImportBatch.objects.filter(pk=batch.pk).update(claimed_until=timezone.now() - timedelta(seconds=1))
    assert enqueue_due_imports() == 0, "two attempts were all it had"

    editor.groups.add(Group.objects.get(name="Editor"))
    assert requeue_import(batch.pk), "an editor's retry starts it afresh"
    batch.refresh_from_db()
    assert batch.attempts == 0 and batch.error == ""
    assert deliver(batch)["created"] == 2


def test_queueing_checks_the_right_to_publish_before_anything_is_kept(reporter):
    with pytest.raises(PermissionDenied):
        queue_import(files(1), ImportOptions(user=reporter, status="published"))
    assert not ImportBatch.objects.exists() and not DBTaskResult.objects.exists()


def test_a_dry_run_cannot_be_queued():
    with pytest.raises(ValueError, match="dry run"):
        queue_import(files(1), ImportOptions(dry_run=True))


def test_many_pieces_or_many_bytes_go_on_the_queue_and_a_small_piece_does_not(settings, tmp_path):
    settings.NEWSROOM_SYNC_IMPORT_MAX_PIECES = 3
    settings.NEWSROOM_SYNC_IMPORT_MAX_BYTES = 1000
    assert not should_queue([("one.txt", b"x" * 1000)])
    assert should_queue([("one.txt", b"x" * 1001)])
    assert not should_queue([("a", b"x" * 300)] * 3)
    assert should_queue([("a", b"x" * 300)] * 4), "more pieces than the limit"
    assert should_queue([("a", b"x" * 400)] * 3), "more bytes than the limit altogether"
    upload = tmp_path / "upload.txt"
    upload.write_bytes(b"y" * 2000)
    assert should_queue([PieceFile(path=str(upload), origin="upload")]), "an upload on disk counts by its size"


FEED = (
    b'<rss version="2.0"><channel><title>Harbour Wire</title>'
    + b"".join(
        f"<item><title>Wire story {n}</title><guid>w-{n}</guid>"
        f"<description>&lt;p&gt;Wire story {n} says the port is busy.&lt;/p&gt;</description></item>".encode()
        for n in range(1, 6)
    )
    + b"</channel></rss>"
)


def test_a_queued_document_is_split_into_its_items_when_the_worker_runs_it():
    pieces = [files(1)[0], ("wire.xml", FEED), files(1, prefix="After")[0]]
    batch = queue_import(pieces, ImportOptions(batch_size=2))
    assert QueuedPiece.objects.filter(batch=batch).count() == 3, "kept as it arrived"
    result = deliver(batch)
    assert result["created"] == 7
    records = list(ImportRecord.objects.filter(batch=batch).order_by("id").values_list("origin", "raw_format"))
    assert records == [
        ("piece-0.txt", "text"),
        *[(f"wire.xml#item-{n}", "rss") for n in range(1, 6)],
        ("piece-0.txt", "text"),
    ]
    assert set(Article.objects.filter(external_id__startswith="w-").values_list("external_id", flat=True)) == {
        f"w-{n}" for n in range(1, 6)
    }
    assert not QueuedPiece.objects.exists()


def test_a_delivery_after_a_worker_died_mid_document_goes_on_from_the_next_item():
    pieces = [files(1)[0], ("wire.xml", FEED), files(1, prefix="After")[0]]
    batch = queue_import(pieces, ImportOptions())
    # The first worker stored the text piece and two items of the feed, then died.
    first_items = list(document_pieces(FEED, "wire.xml"))[:2]
    done_before = [RawPiece(origin=pieces[0][0], data=pieces[0][1], size=len(pieces[0][1])), *first_items]
    import_pieces(done_before, ImportOptions(), batch=ImportBatch.objects.get(pk=batch.pk))

    result = deliver(batch)
    assert result["created"] == 7, "the batch's counts cover both attempts"
    origins = list(ImportRecord.objects.filter(batch=batch).order_by("id").values_list("origin", "outcome"))
    assert origins == [
        ("piece-0.txt", "created"),
        *[(f"wire.xml#item-{n}", "created") for n in range(1, 6)],
        ("piece-0.txt", "created"),
    ], "each item recorded once, in order"
    assert not QueuedPiece.objects.exists()
