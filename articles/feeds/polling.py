"""Polling feeds: the scheduler claims the feeds whose next check has come and enqueues them a few to a task,
`poll_feeds(feed_ids, claim_token)`; a worker fetches the task's feeds at once, hands each body to the import
pipeline and records how each poll went. (`poll_feed(feed_id, claim_token)` polls one: an editor's "Poll now".)

Why several feeds to a task: most polls are answered `304 Not Modified` and cost a worker almost nothing but the
queue's own bookkeeping (taking the task, recording its result) and two small writes of ours (renewing the claim,
recording the outcome). Ten feeds to a task share that bookkeeping, their fetches overlap in threads (the network
waits, not the worker), and the outcomes of the polls that brought no body are written in one transaction: on
SQLite, where every write transaction takes the database's one write lock, that is what set the rate of a cycle.

A poll never raises for what a feed's server, network or content may do: each failure (unreachable, an HTTP error,
an HTML page, a document that cannot be read, even the database lost mid-poll) is recorded on the feed with its
reason, and the next check is put back (`schedule`). Other feeds are polled as usual. The claim (`articles.claims`)
keeps two schedulers or workers from polling one feed at once; a worker that dies stops renewing it, and the feed is
due again once its lease lapses. Delivered twice, the task does nothing the second time (the claim is released);
and were an item stored twice over, the identity rules would make the second `unchanged`.
"""

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from functools import partial

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.db.models import F
from django.tasks import task
from django.utils import timezone

from articles import claims, taskqueue
from articles.feeds import schedule
from articles.feeds.fetch import Fetched, Limits, fetch
from articles.ingest.formats import sniff_format
from articles.models import Article, Feed, ImportBatch
from articles.webhooks import events as webhook_events

logger = logging.getLogger(__name__)
FEED_FORMATS = {"rss", "rdf", "atom", "jsonfeed"}
NOT_A_FEED = {
    "html": "The address answered with an HTML page, not a feed (RSS, Atom or JSON Feed). Is it the site's page "
    'rather than its feed? A page names its feed in a <link rel="alternate"> element.',
    "text": "The address answered with plain text, not a feed (RSS, Atom or JSON Feed).",
    "unknown": "The address answered with something that is not a feed (RSS, Atom or JSON Feed).",
    "jsonl": "The address answered with JSON lines, an export format, not a feed; import it as a file instead.",
    "wxr": "The address answered with a WordPress export, not a feed; import it as a file instead.",
}


@dataclass
class PollResult:
    """How one poll went: the HTTP outcome, the items' outcomes, and the error if it failed."""

    feed_id: int
    url: str
    outcome: str = ""  # the HTTP outcome in a few words
    counts: dict[str, int] = field(default_factory=dict)
    error: str = ""
    batch_id: int | None = None
    skipped: str = ""

    @property
    def failed(self) -> bool:
        return bool(self.error)

    def as_dict(self) -> dict:
        return asdict(self)


SKIPPED = "The feed's claim is not this task's: it was polled or passed on."


class NotAFeed(Exception):
    """The body fetched is not a feed newsroom reads."""


def check_feed_body(body: bytes) -> str:
    """Return the feed format of `body`; NotAFeed with a clear reason when it is not a feed."""
    fmt = sniff_format(body[:65536])
    if fmt not in FEED_FORMATS:
        raise NotAFeed(NOT_A_FEED.get(fmt, NOT_A_FEED["unknown"]))
    return fmt


@task
def poll_feed(feed_id: int, claim_token: str) -> dict:
    """Poll feed `feed_id` if `claim_token` still holds it; return how the poll went (or why it was skipped)."""
    claim = claims.Claim(Feed, feed_id, claim_token)
    if not claims.renew(claim):
        logger.info("Feed %s: the claim is not this task's (polled already, or passed on); skipped.", feed_id)
        return {"feed_id": feed_id, "skipped": SKIPPED}
    return poll(Feed.objects.select_related("source").get(pk=feed_id), claim).as_dict()


@task
def poll_feeds(feed_ids: list[int], claim_token: str) -> list[dict]:
    """Poll those of the feeds `feed_ids` that `claim_token` still holds; return how each poll went (or why it was
    skipped), in the order of `feed_ids`."""
    held = set(claims.renew_all(Feed, feed_ids, claim_token))
    feeds = list(Feed.objects.select_related("source").filter(pk__in=held).order_by("pk"))
    results = {result.feed_id: result.as_dict() for result in poll_several(feeds, claim_token)}
    for feed_id in feed_ids:
        if feed_id not in held:
            logger.info("Feed %s: the claim is not this task's (polled already, or passed on); skipped.", feed_id)
            results[feed_id] = {"feed_id": feed_id, "skipped": SKIPPED}
    return [results[feed_id] for feed_id in feed_ids if feed_id in results]


def enqueue_due_feeds() -> int:
    """Claim every enabled feed whose next check has come and that nobody holds, and enqueue their polls,
    NEWSROOM_FEEDS_PER_TASK to a task; return how many feeds (the scheduler's source of due feeds)."""
    due = Feed.objects.filter(enabled=True, next_check_at__lte=timezone.now())
    return len(taskqueue.claim_and_enqueue_groups(due, poll_feeds, size=settings.NEWSROOM_FEEDS_PER_TASK))


def poll_now(feed: Feed) -> PollResult:
    """Poll `feed` in this process at once, if nobody else is polling it (the poll command, an editor's "Poll
    now" run in the request)."""
    claim = claims.claim_row(Feed, feed.pk)
    if claim is None:
        return PollResult(feed.pk, feed.url, skipped="Another worker is polling this feed now.")
    return poll(Feed.objects.select_related("source").get(pk=feed.pk), claim)  # as it is now, claim and all


def request_poll(feed: Feed) -> bool:
    """Have a worker poll `feed` as soon as it can (an editor's "Poll now"); return whether it was enqueued, which
    it is not while another worker polls it."""
    with transaction.atomic():
        claim = claims.claim_row(Feed, feed.pk, next_check_at=timezone.now())
        if claim is None:
            return False
        taskqueue.enqueue_on_commit(poll_feed, feed.pk, claim.token)
    return True


def poll(feed: Feed, claim: claims.Claim) -> PollResult:
    """Fetch `feed`, import what it says, and record the outcome on it, releasing `claim` in the same UPDATE."""
    return record(feed, fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified), claim)


def poll_several(feeds: list[Feed], claim_token: str) -> list[PollResult]:
    """Poll `feeds`, all held under `claim_token`: fetch them at once in threads (NEWSROOM_FEEDS_FETCH_THREADS),
    and record each as its answer comes; return how each poll went.

    An answer without a body (a 304, an error) is recorded with the others like it in one transaction, written
    before the next body is imported or once every answer is in; a body is imported at once, so no feed waits for
    a slow server's answer to another, and the claims still held are renewed after each import. A body is held
    until it is imported, so a task holds at most one body a feed it was given (NEWSROOM_FEEDS_PER_TASK times
    NEWSROOM_FEEDS_MAX_BYTES at the very worst).
    """
    if not feeds:
        return []
    limits = Limits.from_settings()
    results, quiet = [], []
    threads = max(1, min(len(feeds), settings.NEWSROOM_FEEDS_FETCH_THREADS))
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="feed-fetch") as pool:
        pending = {
            pool.submit(fetch, feed.url, etag=feed.etag, last_modified=feed.last_modified, limits=limits): feed
            for feed in feeds
        }
        for done in as_completed(pending):
            feed, fetched = pending.pop(done), done.result()  # fetch never raises for what a server may do
            claim = claims.Claim(Feed, feed.pk, claim_token)
            if fetched.body is None or fetched.kind != "ok":
                quiet.append((feed, fetched, claim))
                continue
            results += record_together(quiet)
            quiet = []

            def keep_alive(feed=feed):  # the import's claim and those of the feeds still being fetched
                claims.renew_all(Feed, [feed.pk, *(other.pk for other in pending.values())], claim_token)

            results.append(record(feed, fetched, claim, keep_alive=keep_alive))
            if pending:
                claims.renew_all(Feed, [other.pk for other in pending.values()], claim_token)
    return results + record_together(quiet)


def record_together(polls: list[tuple[Feed, Fetched, claims.Claim]]) -> list[PollResult]:
    """Record the outcomes of `polls` that brought no body to import, in one transaction (one write lock on
    SQLite, one commit on either database); should the database fail, each is recorded on its own (`record`)."""
    if not polls:
        return []
    try:
        with transaction.atomic():
            return [record(feed, fetched, claim, alone=False) for feed, fetched, claim in polls]
    except DatabaseError:
        return [record(feed, fetched, claim) for feed, fetched, claim in polls]


def record(
    feed: Feed, fetched: Fetched, claim: claims.Claim, *, alone: bool = True, keep_alive: Callable | None = None
) -> PollResult:
    """Import what `fetched` brought for `feed` and record the outcome on it, releasing `claim` in the same UPDATE.

    `alone`: the call is not inside a caller's transaction, so a database error is recorded on a new connection
    here; inside one (`record_together`) it is raised for the caller to roll back. `keep_alive` renews the claims
    the caller holds while a long feed is imported (by default, `claim`'s alone).
    """
    result = PollResult(feed.pk, feed.url, outcome=fetched.outcome)
    try:
        fields = _outcome(feed, fetched, result, keep_alive or partial(claims.renew, claim))
        if not claims.release(claim, **fields):
            logger.warning("Feed %s: its claim lapsed during the poll; the outcome is not recorded.", feed.pk)
        else:
            webhook_events.feed_polled(
                feed, errors_before=feed.consecutive_errors, errors_now=fields["consecutive_errors"]
            )
    except DatabaseError as error:
        if not alone:
            raise
        result.error = f"The database failed during the poll: {type(error).__name__}: {error}".strip()
        _record_failure_after_database_error(feed, fetched, claim, result)
    return result


def _outcome(feed: Feed, fetched: Fetched, result: PollResult, keep_alive: Callable) -> dict:
    """Import the body if there is one; return the feed's fields that say how the poll went and what comes next."""
    now = timezone.now()
    fields = {"last_polled_at": now, "last_status": fetched.status}
    if fetched.permanent_url and not Feed.objects.filter(url=fetched.permanent_url).exclude(pk=feed.pk).exists():
        fields["url"] = fetched.permanent_url
    if fetched.kind == "gone":
        result.error = fetched.error
        return fields | _failure(feed, fetched.error, now) | {"enabled": False, "disabled_reason": fetched.error}
    if not fetched.ok:
        result.error = fetched.error
        return fields | _failure(feed, fetched.error, now, retry_after=fetched.retry_after)
    if fetched.kind == "ok":
        try:
            fmt = check_feed_body(fetched.body)
            report, meta = import_feed_body(feed, fetched.body, fmt, keep_alive=keep_alive)
        except DatabaseError:
            raise
        except Exception as error:  # a document that cannot be read at all; its items' own failures are records
            result.error = str(error) if isinstance(error, NotAFeed) else f"The feed could not be read: {error}"
            return fields | _failure(feed, result.error, now)
        result.counts, result.batch_id = dict(report.summary()), report.batch_id
        fields |= {"etag": fetched.etag[:1000], "last_modified": fetched.last_modified[:200]}
        fields["items_seen"] = F("items_seen") + report.total
        title = (getattr(meta, "title", "") or "").strip()
        if title and not feed.title:
            fields["title"] = title[:500]
    return fields | {
        "last_success_at": now,
        "consecutive_errors": 0,
        "next_check_at": schedule.after_success(now, feed.poll_interval, max_age=fetched.max_age),
    }


def _failure(feed: Feed, reason: str, now, *, retry_after: float | None = None) -> dict:
    errors = feed.consecutive_errors + 1
    return {
        "consecutive_errors": errors,
        "last_error": reason,
        "last_error_at": now,
        "next_check_at": schedule.after_error(now, feed.poll_interval, errors, retry_after=retry_after),
    }


def import_feed_body(feed: Feed, body: bytes, fmt: str, *, keep_alive: Callable | None = None):
    """Import the items of `body` through the pipeline, in a batch linked to `feed`; return (report, feed meta).

    The feed's source, when it has one, is every item's; otherwise each item's footer or the channel names it.
    `keep_alive` is called as the items are stored, to renew the poll's claims (thousands of items take a while).
    """
    from articles.ingest import ImportOptions, import_document

    options = ImportOptions(status=Article.Status.DRAFT, channel=ImportBatch.Channel.FEED)
    report, meta = import_document(
        body,
        origin=feed.url,
        options=options,
        fmt=fmt,
        source_name=feed.source.name if feed.source_id else None,
        batch_extra={"feed": feed.pk},
        batch_fields={"feed": feed},
        on_result=_Renewing(keep_alive) if keep_alive else None,
    )
    return report, meta


class _Renewing:
    """Called with each item's result: renew the poll's claims every RENEW_EVERY items."""

    RENEW_EVERY = 500

    def __init__(self, keep_alive: Callable):
        self.keep_alive, self.seen = keep_alive, 0

    def __call__(self, result) -> None:
        self.seen += 1
        if self.seen % self.RENEW_EVERY == 0:
            self.keep_alive()


def _record_failure_after_database_error(feed: Feed, fetched: Fetched, claim: claims.Claim, result: PollResult):
    """The database went away mid-poll (a restart, a failover, a connection cut): on a new connection, record the
    reason and back off. Should the database still be unreachable, the error is raised: the claim then lapses
    unrenewed and the scheduler enqueues the poll again once the database is back."""
    logger.warning("Feed %s: %s; recording it on a new connection.", feed.pk, result.error)
    connection.close()
    close_old_connections()
    now = timezone.now()
    fields = {"last_polled_at": now, "last_status": fetched.status} | _failure(feed, result.error, now)
    claims.release(claim, **fields)
