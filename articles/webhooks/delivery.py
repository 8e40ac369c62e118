"""Webhook deliveries: an event becomes one row per endpoint that wants it, written in the transaction of what
happened, then sent by a worker once it commits, retried on Svix's schedule.

At least once: each delivery is a claimable row (`articles.claims`); the task proves its claim, POSTs, and
releases the claim with the outcome in one UPDATE. A worker that dies leaves the claim to lapse and the scheduler
hands the row to another (`enqueue_due_deliveries`), so the receiver may see a message twice: the `webhook-id` is
the same on every attempt, for it to drop repeats. In order per article: a delivery waits while an earlier one of
the same article to the same endpoint is still pending, so a receiver that fails and recovers gets an article's
events in the order they happened. An endpoint failing for `NEWSROOM_WEBHOOKS_DISABLE_AFTER_DAYS` (5) is disabled
with the reason, which the admin shows.

`story.created` (stories) is one more call of `emit()` where a story is created, and one more `Event` choice.
"""

import json
import logging
import time
import uuid
from datetime import timedelta

import httpx
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.tasks import task
from django.utils import timezone

from articles import claims, taskqueue
from articles.feeds.fetch import Limits, guarded_client
from articles.models import WebhookDelivery, WebhookEndpoint
from articles.webhooks import signing

logger = logging.getLogger(__name__)
Event = WebhookEndpoint.Event
EXCERPT_CHARS = 1000
# What a change of the change log is, as an event: (kind, public before, public after) -> event.
ARTICLE_EVENTS = {
    ("published", False, True): Event.ARTICLE_PUBLISHED,
    ("updated", True, True): Event.ARTICLE_UPDATED,
    ("unpublished", True, False): Event.ARTICLE_UNPUBLISHED,
    ("deleted", True, False): Event.ARTICLE_DELETED,
}


def retry_schedule() -> list[float]:
    """Return the wait before each attempt, in seconds (NEWSROOM_WEBHOOKS_RETRY_SCHEDULE; Svix's by default)."""
    return list(settings.NEWSROOM_WEBHOOKS_RETRY_SCHEDULE)


def emit(event: str, data: dict, *, article_id: int | None = None, endpoints=None) -> list[WebhookDelivery]:
    """Write a delivery of `event` for each enabled endpoint that wants it, to be sent once this transaction
    commits; return them. Call it in the transaction of what happened: a rollback sends nothing."""
    endpoints = endpoints if endpoints is not None else WebhookEndpoint.objects.filter(enabled=True)
    now = timezone.now()
    rows = [
        WebhookDelivery(
            endpoint=endpoint,
            event=event,
            message_id=f"msg_{uuid.uuid4().hex}",
            payload={"type": event, "timestamp": now.isoformat(), "data": data},
            article_id=article_id,
            next_attempt_at=now,
            created_at=now,
        )
        for endpoint in endpoints
        if endpoint.wants(event)
    ]
    if rows:
        WebhookDelivery.objects.bulk_create(rows)
        transaction.on_commit(enqueue_due_deliveries, robust=True)
    return rows


def emit_article_changes(change_rows) -> None:
    """Emit the article events of the change log's new rows (called where they are written)."""
    wanted = [
        (ARTICLE_EVENTS.get((change.kind, change.public_before, change.public_after)), change) for change in change_rows
    ]
    wanted = [(event, change) for event, change in wanted if event is not None]
    if not wanted:
        return
    endpoints = list(WebhookEndpoint.objects.filter(enabled=True))
    if not endpoints:
        return
    for event, change in wanted:
        data = {"id": change.article_id, "revision": change.revision}
        emit(event, data, article_id=change.article_id, endpoints=endpoints)


def due_deliveries(now=None):
    """Return the deliveries whose attempt has come and whose article has no earlier delivery still pending."""
    now = now or timezone.now()
    earlier = WebhookDelivery.objects.filter(
        endpoint_id=OuterRef("endpoint_id"),
        article_id=OuterRef("article_id"),
        id__lt=OuterRef("id"),
        status=WebhookDelivery.Status.PENDING,
    )
    pending = WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now)
    return pending.filter(~Exists(earlier))  # no article (NULL): nothing matches, nothing waits


def enqueue_due_deliveries() -> int:
    """The scheduler's source (and what a commit that emitted calls): claim due deliveries, enqueue their sends."""
    return len(taskqueue.claim_and_enqueue(due_deliveries(), send_delivery, limit=500))


@task
def send_delivery(delivery_id: int, claim_token: str) -> dict:
    """Send delivery `delivery_id` if `claim_token` still holds it, then the same article's next events for the
    same endpoint while they are due and delivered; return how the first went."""
    claim = claims.Claim(WebhookDelivery, delivery_id, claim_token)
    if not claims.renew(claim):
        return {"delivery_id": delivery_id, "skipped": "The delivery's claim is not this task's."}
    first = None
    while claim is not None:
        sent = WebhookDelivery.objects.select_related("endpoint").get(pk=claim.pk)
        outcome = attempt(sent)
        claims.release(claim, **outcome)
        delivered = outcome["status"] == WebhookDelivery.Status.DELIVERED
        _settle_endpoint(sent.endpoint, delivered=delivered)
        first = first or {"delivery_id": delivery_id, "status": outcome["status"], "code": outcome["last_status_code"]}
        claim = _next_of_article(sent) if delivered else None
    return first


def _next_of_article(sent: WebhookDelivery) -> claims.Claim | None:
    """Claim the article's next delivery to the same endpoint, now that the one before it is delivered."""
    if sent.article_id is None:
        return None
    following = due_deliveries().filter(endpoint_id=sent.endpoint_id, article_id=sent.article_id)
    taken = claims.claim(following, limit=1)
    return taken[0] if taken else None


def attempt(delivery: WebhookDelivery) -> dict:
    """POST the delivery once, signed; return the fields that record the attempt (and the next one, if any)."""
    body = json.dumps(delivery.payload, separators=(",", ":")).encode()
    timestamp = int(time.time())
    headers = signing.headers(delivery.endpoint.secret, delivery.message_id, timestamp, body)
    limits = Limits(
        connect_timeout=settings.NEWSROOM_WEBHOOKS_TIMEOUT,
        read_timeout=settings.NEWSROOM_WEBHOOKS_TIMEOUT,
        deadline=settings.NEWSROOM_WEBHOOKS_TIMEOUT,
        max_bytes=EXCERPT_CHARS,
        allow_private=settings.NEWSROOM_WEBHOOKS_ALLOW_PRIVATE,
    )
    started = time.monotonic()
    code, excerpt, error = None, "", ""
    try:
        with guarded_client(limits, time.monotonic() + limits.deadline) as client:
            response = client.post(delivery.endpoint.url, content=body, headers=headers)
        code, excerpt = response.status_code, response.text[:EXCERPT_CHARS]
    except (httpx.HTTPError, OSError) as failure:
        cause = failure.__cause__ or failure.__context__
        error = str(cause or failure) or type(failure).__name__
    latency = round((time.monotonic() - started) * 1000)
    attempts = delivery.attempts + 1
    fields = {
        "attempts": attempts,
        "last_status_code": code,
        "last_error": error,
        "latency_ms": latency,
        "response_excerpt": excerpt,
    }
    now = timezone.now()
    if code is not None and 200 <= code < 300:
        return {**fields, "status": WebhookDelivery.Status.DELIVERED, "delivered_at": now}
    schedule = retry_schedule()
    if attempts >= len(schedule):
        return {**fields, "status": WebhookDelivery.Status.FAILED}
    wait = timedelta(seconds=schedule[attempts])
    return {**fields, "status": WebhookDelivery.Status.PENDING, "next_attempt_at": now + wait}


def _settle_endpoint(endpoint: WebhookEndpoint, *, delivered: bool) -> None:
    """Clear an endpoint's failing mark on a success; disable it once it has failed for long enough."""
    endpoints = WebhookEndpoint.objects.filter(pk=endpoint.pk)
    if delivered:
        endpoints.exclude(failing_since=None).update(failing_since=None)
        return
    now = timezone.now()
    endpoints.filter(failing_since=None).update(failing_since=now)
    limit = timedelta(days=settings.NEWSROOM_WEBHOOKS_DISABLE_AFTER_DAYS)
    reason = (
        f"Disabled on {now:%Y-%m-%d %H:%M} UTC: every delivery failed for "
        f"{settings.NEWSROOM_WEBHOOKS_DISABLE_AFTER_DAYS:g} days. Fix the receiver, then enable it again."
    )
    if endpoints.filter(enabled=True, failing_since__lte=now - limit).update(enabled=False, disabled_reason=reason):
        logger.warning("Webhook endpoint %s disabled: it failed for too long.", endpoint.pk)


def redeliver(deliveries) -> int:
    """Send `deliveries` again, as new attempts of the same messages (the same `webhook-id`); return how many."""
    now = timezone.now()
    count = WebhookDelivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(
        status=WebhookDelivery.Status.PENDING, next_attempt_at=now, attempts=0
    )
    transaction.on_commit(enqueue_due_deliveries, robust=True)
    return count


def send_test_event(endpoint: WebhookEndpoint) -> WebhookDelivery:
    """Queue a `webhook.test` event for `endpoint` (enabled or not: it is how an editor checks a receiver)."""
    now = timezone.now()
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event=Event.TEST,
        message_id=f"msg_{uuid.uuid4().hex}",
        payload={"type": Event.TEST, "timestamp": now.isoformat(), "data": {"endpoint": endpoint.pk}},
    )
    transaction.on_commit(enqueue_due_deliveries, robust=True)
    return delivery
