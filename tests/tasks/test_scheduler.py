"""The scheduler (articles/scheduler.py, `run_scheduler`): due work from database state, and the queue's task rows
kept true when a worker dies."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles import claims, scheduler
from articles.ingest import ImportOptions
from articles.ingest.queued import queue_import, run_queued_import
from articles.models import ImportBatch
from tests.importing.conftest import piece_text

pytestmark = pytest.mark.django_db

IMPORTS = "articles.ingest.queued.enqueue_due_imports"
ABANDONED = "articles.taskqueue.fail_abandoned_tasks"
FEEDS = "articles.feeds.polling.enqueue_due_feeds"
DELIVERIES = "articles.webhooks.delivery.enqueue_due_deliveries"
CHANGES = "articles.changes.sequence_and_prune"
GO_LIVE = "articles.changes.announce_publications"
TAKE_DOWNS = "articles.workflow.take_down_due_articles"
LONG_AGO = timedelta(hours=2)


@pytest.fixture
def tick(django_capture_on_commit_callbacks):
    """Return a function that ticks the scheduler and runs what it left for the commit (its enqueues)."""

    def run() -> dict[str, int]:
        with django_capture_on_commit_callbacks(execute=True):
            return scheduler.tick()

    return run


def queued_batch(title="Scheduled story") -> ImportBatch:
    return queue_import([("piece.txt", piece_text(title).encode())], ImportOptions())


def lapse(batch: ImportBatch) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(claimed_until=timezone.now() - timedelta(seconds=1))


def running_task(*args, started_ago=LONG_AGO, worker="worker-1") -> DBTaskResult:
    result = run_queued_import.enqueue(*args)
    row = DBTaskResult.objects.get(pk=result.id)
    row.status, row.started_at, row.worker_ids = "RUNNING", timezone.now() - started_ago, [worker]
    row.save()
    return row


def test_a_tick_enqueues_the_queued_imports_nobody_holds_and_leaves_the_held_ones(tick):
    held, lapsed = queued_batch("Held story"), queued_batch("Lapsed story")
    lapse(lapsed)
    # queue_import's own enqueues are never run here (the test's transaction is not committed): as if they had been
    # lost, Redis down when the request committed.
    done = tick()
    assert done == {IMPORTS: 1, FEEDS: 0, DELIVERIES: 0, GO_LIVE: 0, CHANGES: 0, ABANDONED: 0, TAKE_DOWNS: 0}
    [task] = DBTaskResult.objects.all()
    lapsed.refresh_from_db()
    assert task.args_kwargs["args"] == [lapsed.pk, lapsed.claim_token.hex]
    assert tick()[IMPORTS] == 0, "claimed now: not due again until the claim lapses"
    held.refresh_from_db()
    assert held.claimed_until > timezone.now()


def test_a_finished_import_is_never_due_again(tick):
    batch = queued_batch()
    run_queued_import.call(batch.pk, batch.claim_token.hex)
    assert tick()[IMPORTS] == 0


def test_a_running_task_whose_claim_lapsed_is_marked_failed_with_the_reason(tick):
    batch = queued_batch()
    dead = running_task(batch.pk, batch.claim_token.hex)
    lapse(batch)
    assert tick() == {IMPORTS: 1, FEEDS: 0, DELIVERIES: 0, GO_LIVE: 0, CHANGES: 0, ABANDONED: 1, TAKE_DOWNS: 0}
    dead.refresh_from_db()
    assert dead.status == "FAILED" and dead.finished_at is not None
    assert dead.exception_class_path == "articles.taskqueue.WorkerLost"
    assert "worker-1" in dead.traceback and "stopped before it ended" in dead.traceback
    assert dead.task_result.errors[0].exception_class.__name__ == "WorkerLost", "the queue's API reads it back"


def test_running_tasks_that_hold_their_claim_or_started_lately_are_left_alone(tick):
    batch = queued_batch()
    alive = running_task(batch.pk, batch.claim_token.hex)  # long-running, but its worker renews the claim
    other = queued_batch("Other story")
    lapse(other)
    recent = running_task(other.pk, other.claim_token.hex, started_ago=timedelta(seconds=1))
    assert tick()[ABANDONED] == 0
    alive.refresh_from_db()
    recent.refresh_from_db()
    assert alive.status == recent.status == "RUNNING"


def test_a_running_task_that_holds_no_claim_is_taken_for_lost_after_a_lease(tick):
    row = running_task("not an id", "nor a token")
    assert tick()[ABANDONED] == 1
    row.refresh_from_db()
    assert row.status == "FAILED"


def test_one_failing_source_is_reported_and_the_others_still_run(monkeypatch, tick):
    def broken() -> int:
        raise RuntimeError("a table is missing")

    batch = queued_batch()
    lapse(batch)
    monkeypatch.setattr(scheduler, "DUE_WORK", [broken, *scheduler.DUE_WORK])
    done = tick()
    assert done[f"{__name__}.broken"] == -1
    assert done[IMPORTS] == 1


def test_run_scheduler_once_prints_what_each_source_did():
    batch = queued_batch()
    lapse(batch)
    out = io.StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    assert out.getvalue().splitlines() == [
        f"{IMPORTS}: 1",
        f"{FEEDS}: 0",
        f"{ABANDONED}: 0",
        f"{GO_LIVE}: 0",
        f"{CHANGES}: 0",
        f"{DELIVERIES}: 0",
        f"{TAKE_DOWNS}: 0",
    ]
    assert claims.claim_row(ImportBatch, batch.pk) is None, "the batch is held by the task just enqueued"


def test_run_scheduler_once_fails_when_a_source_failed(monkeypatch):
    def broken() -> int:
        raise RuntimeError("a table is missing")

    monkeypatch.setattr(scheduler, "DUE_WORK", [broken])
    with pytest.raises(CommandError, match="could not be looked at"):
        call_command("run_scheduler", "--once", stdout=io.StringIO())


def test_run_scheduler_refuses_an_interval_that_is_not_positive():
    with pytest.raises(CommandError, match="positive"):
        call_command("run_scheduler", "--interval", "0")


def test_a_task_given_several_feeds_is_alive_while_it_holds_one_of_them(tick):
    from articles import claims
    from articles.feeds.polling import poll_feeds
    from articles.models import Feed

    feeds = [Feed.objects.create(url=f"https://wire.example/{n}", enabled=False) for n in range(3)]
    token = claims.claim(Feed.objects.filter(pk__in=[feed.pk for feed in feeds]))[0].token
    result = poll_feeds.enqueue([feed.pk for feed in feeds], token)
    row = DBTaskResult.objects.get(pk=result.id)
    row.status, row.started_at, row.worker_ids = "RUNNING", timezone.now() - LONG_AGO, ["worker-9"]
    row.save()
    # Two feeds polled and released; the third still held and renewed: the task is alive.
    claims.release(claims.Claim(Feed, feeds[0].pk, token))
    claims.release(claims.Claim(Feed, feeds[1].pk, token))
    assert tick()[ABANDONED] == 0
    Feed.objects.filter(pk=feeds[2].pk).update(claimed_until=timezone.now() - timedelta(seconds=1))
    assert tick()[ABANDONED] == 1, "none held any more: its worker is gone"
    row.refresh_from_db()
    assert row.status == "FAILED" and "worker-9" in row.traceback
