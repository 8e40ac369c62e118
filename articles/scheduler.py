"""The scheduler: one loop that turns database state into tasks on the queue.

Schedules and retries live in our own rows, not in the queue: each source of due work below looks at the database,
claims the rows whose work is due (`taskqueue.claim_and_enqueue`) and enqueues a task for each. Claims make it
safe to run the loop in several places at once: a row is claimed by one scheduler only, and due again only once
its claim is released or lapses. A new kind of background work (feeds whose next check has come, webhook
deliveries to retry, scheduled articles going live, published articles to take down at their time) is one more
function in `DUE_WORK`.
"""

import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections

from articles import changes, taskqueue, workflow
from articles.feeds import polling
from articles.ingest import queued
from articles.webhooks import delivery

logger = logging.getLogger(__name__)

# Each source of due work: a function that enqueues (or settles) what is due now and returns how many rows it did.
DUE_WORK: list[Callable[[], int]] = [
    queued.enqueue_due_imports,
    polling.enqueue_due_feeds,
    taskqueue.fail_abandoned_tasks,
    changes.announce_publications,  # before the numbering, so a publication is numbered in the tick it is due
    changes.sequence_and_prune,
    delivery.enqueue_due_deliveries,
    workflow.take_down_due_articles,
]


def tick() -> dict[str, int]:
    """Run every source of due work once; return what each did, by name (-1 for a source that failed).

    One source failing (its table locked, a bug) is logged, and the others still run.
    """
    done = {}
    for source in DUE_WORK:
        name = f"{source.__module__}.{source.__name__}"
        try:
            done[name] = source()
        except Exception:
            logger.exception("The scheduler's source %s failed; it is tried again at the next tick.", name)
            done[name] = -1
    return done


def run(*, interval: float | None = None, stop: threading.Event | None = None, on_tick=None) -> None:
    """Tick every `interval` seconds (NEWSROOM_SCHEDULER_INTERVAL_SECONDS) until `stop` is set."""
    interval = settings.NEWSROOM_SCHEDULER_INTERVAL_SECONDS if interval is None else interval
    stop = stop or threading.Event()
    while not stop.is_set():
        started = time.monotonic()
        close_old_connections()  # a database restarted meanwhile: reconnect rather than fail every tick
        done = tick()
        close_old_connections()
        if on_tick is not None:
            on_tick(done)
        stop.wait(max(0.0, interval - (time.monotonic() - started)))
