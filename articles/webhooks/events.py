"""The events other parts of newsroom raise, as webhook deliveries: what each carries, and when it is raised.

Article events come from the change log (`delivery.emit_article_changes`, called where changes are written). A new
event (`story.created`, when stories are created) is an `Event` choice and one function here, called in the
transaction that creates what it announces.
"""

from articles.models import WebhookEndpoint
from articles.webhooks.delivery import emit

Event = WebhookEndpoint.Event


def imports_failed(records: list[dict]) -> None:
    """Raise `import.failed` for each failed import record of a batch (rows as `ingest/write.py` writes them)."""
    if not records or not WebhookEndpoint.objects.filter(enabled=True).exists():
        return
    for record in records:
        data = {"record_id": record["id"], "batch_id": record["batch_id"], "origin": record["origin"]}
        emit(Event.IMPORT_FAILED, data | {"error": record["error"], "failure_kind": record["failure_kind"]})


def feed_polled(feed, *, errors_before: int, errors_now: int) -> None:
    """Raise `feed.failing` when a healthy feed's poll fails, `feed.recovered` when a failing feed's succeeds."""
    if errors_before == 0 and errors_now > 0:
        emit(Event.FEED_FAILING, {"feed_id": feed.pk, "url": feed.url})
    elif errors_before > 0 and errors_now == 0:
        emit(Event.FEED_RECOVERED, {"feed_id": feed.pk, "url": feed.url, "failed_polls": errors_before})
