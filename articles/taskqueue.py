"""The task queue as newsroom uses it: tasks enqueued once their transaction commits, given claims on rows, and the
queue's own records kept true when a worker dies.

Tasks are written against Django's `django.tasks`; the engine is a setting (`NEWSROOM_TASKS_BACKEND`: the database,
through django-tasks-db, or Redis, through django-tasks-rq). Neither engine retries a task whose worker died, and
the database engine leaves its row RUNNING for ever: retries belong to our rows' claims (`articles.claims`), and
the scheduler marks such rows failed with the reason (`fail_abandoned_tasks`).
"""

import logging
from datetime import datetime
from functools import partial

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, router, transaction
from django.tasks import task_backends
from django.tasks.backends.immediate import ImmediateBackend
from django.utils import timezone

from articles import claims

logger = logging.getLogger(__name__)
ABANDONED_CHECKED_AT_ONCE = 500


class WorkerLost(Exception):
    """The worker running a task stopped before the task ended (killed, out of memory, its machine gone)."""


def enqueue_on_commit(task, *args, using: str | None = None) -> None:
    """Enqueue `task(*args)` once the current transaction commits (at once outside one); a rollback enqueues
    nothing.

    A failure to enqueue (the Redis server unreachable) is logged, not raised: the caller's transaction has
    committed already, and work given a claim is enqueued again by the scheduler once the claim's lease lapses.
    """
    transaction.on_commit(partial(task.enqueue, *args), using=using, robust=True)


def enqueue_with_transaction(task, *args) -> None:
    """Enqueue `task(*args)` as part of the current transaction: on the database engine its row is written in the
    transaction itself (no worker sees it before the commit, a rollback takes it away), otherwise on commit
    (`enqueue_on_commit`).

    For tasks an import enqueues with every batch (reading, topic suggestions): on commit, each would be a
    transaction of its own, and on SQLite each takes the one write lock again, while a feed's worker beside it
    waits for that lock with its own batch."""
    if _queues_in_default_database(task) and transaction.get_connection().in_atomic_block:
        task.enqueue(*args)
    else:
        enqueue_on_commit(task, *args)


def _queues_in_default_database(task) -> bool:
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    return isinstance(task.get_backend(), DatabaseBackend) and router.db_for_write(DBTaskResult) == DEFAULT_DB_ALIAS


def claim_and_enqueue(queryset, task, *, limit: int | None = None) -> list[claims.Claim]:
    """Claim the rows of `queryset` nobody holds and enqueue `task(pk, token)` for each, once the claims commit.

    This is what a source of due work for the scheduler does: `queryset` says which rows are due.
    """
    with transaction.atomic(using=queryset.db):
        taken = claims.claim(queryset, limit=limit)
        for claim in taken:
            enqueue_on_commit(task, claim.pk, claim.token, using=queryset.db)
    return taken


def claim_and_enqueue_groups(queryset, task, *, size: int, limit: int | None = None) -> list[claims.Claim]:
    """Claim the rows of `queryset` nobody holds and enqueue `task(pks, token)` for each group of up to `size` of
    them, in order, once the claims commit (a task that does many small jobs at once: polling feeds)."""
    size = max(1, size)
    with transaction.atomic(using=queryset.db):
        taken = claims.claim(queryset, limit=limit)
        for start in range(0, len(taken), size):
            group = taken[start : start + size]
            enqueue_on_commit(task, [claim.pk for claim in group], group[0].token, using=queryset.db)
    return taken


def relax_commit_durability(sender, **kwargs) -> None:
    """In a worker process on PostgreSQL, let commits return before their WAL record is flushed to disk
    (`synchronous_commit = off`), unless NEWSROOM_TASK_SYNCHRONOUS_COMMIT=on. Connected to `task_started`.

    A feed's poll is several small transactions (the queue's claim of the task, ours of the feed, the outcome, the
    queue's result), and each synchronous commit waits for a disk flush: on a slow disk that flush, not the work,
    set the rate of polls. With it off, a crash of the database server (not of the worker) may forget the last
    fraction of a second of a worker's commits, never half of one: every task here is at-least-once already, so the
    claim lapses and the work is done again, and items are stored once by their identity. Web requests, and tasks
    run inside them by the immediate engine, keep durable commits.
    """
    backend = sender if isinstance(sender, type) else type(sender)  # db_worker sends the backend, others its class
    if issubclass(backend, ImmediateBackend) or connection.vendor != "postgresql":
        return
    if settings.NEWSROOM_TASK_SYNCHRONOUS_COMMIT == "off":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")


def uses_database_queue() -> bool:
    from django_tasks_db import DatabaseBackend

    return isinstance(task_backends["default"], DatabaseBackend)


def fail_abandoned_tasks(now: datetime | None = None) -> int:
    """Mark failed, with the reason, the queue's task rows still RUNNING whose worker is gone; return how many.

    django-tasks-db marks a row RUNNING when a worker takes it and never looks at it again, so a worker killed
    mid-task leaves it RUNNING for ever. A task of newsroom holds a claim on the row it works on and renews it while
    it runs: a RUNNING task row started more than one lease ago whose claim (its first two arguments, the row's id,
    or a list of ids, and the token) is no longer held on any of them has lost its worker. A task that holds no
    claim is taken for lost once it has run for longer than a lease. Its work is not lost: the claim lapsed, so the
    scheduler enqueues it again.
    (With the Redis engine, RQ moves the jobs of dead workers to its failed registry itself.)
    """
    if not uses_database_queue():
        return 0
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    started_before = now - claims.lease()
    running = DBTaskResult.objects.running().filter(started_at__lt=started_before).order_by("started_at")
    failed = 0
    for row in running.only("id", "args_kwargs", "task_path", "started_at", "worker_ids")[:ABANDONED_CHECKED_AT_ONCE]:
        args = (row.args_kwargs or {}).get("args") or []
        if len(args) >= 2 and _claim_is_held(args[1], args[0], now):
            continue
        reason = (
            f"WorkerLost: the worker {', '.join(row.worker_ids) or '(unknown)'} took this task at "
            f"{row.started_at:%Y-%m-%d %H:%M:%S} UTC and stopped before it ended (killed, out of memory or its "
            f"machine gone): the claim it held on the row it worked on lapsed unrenewed. This task will not run "
            f"again; the row's work is due again, and the scheduler enqueues it as a new task."
        )
        still_running = DBTaskResult.objects.running().filter(pk=row.pk)
        failed += still_running.update(
            status="FAILED",
            finished_at=now,
            exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
            traceback=reason,
            return_value=None,
        )
    if failed:
        logger.warning("Marked %d task(s) failed: their workers stopped before they ended.", failed)
    return failed


def _claim_is_held(token, pk, now) -> bool:
    try:
        return claims.claim_is_held(token, pk, now=now)
    except (TypeError, ValueError):
        return False  # not a row id and a token: a task of some other shape
