"""Deliveries by real worker processes: a receiver that fails and then recovers gets every event, in order of
occurrence per article."""

import json
import time

from tests.tasks.conftest import queue, shared_database  # noqa: F401
from tests.webhooks.receiver import Receiver

FAST_RETRIES = {
    "NEWSROOM_WEBHOOKS_RETRY_SCHEDULE": "0,0.3,0.3,0.3,0.3,0.3,0.3,0.3",
    "NEWSROOM_WEBHOOKS_ALLOW_PRIVATE": "1",
}

WRITE = """
import json
from articles import workflow
from articles.models import Article, Source, WebhookEndpoint
WebhookEndpoint.objects.all().delete()
WebhookEndpoint.objects.create(url={url!r})
source, _ = Source.objects.get_or_create(name="The Frontier Post")
ids = []
for n in range(3):
    article = Article.objects.create(title=f"Piece {{n}}", source=source, body=f"Text {{n}}.")
    workflow.publish([article])
    article.refresh_from_db()
    for edit in range(2):
        article.title = f"Piece {{n}}, edit {{edit}}"
        article.save()
    workflow.unpublish([article])
    ids.append(article.pk)
print(json.dumps(ids))
"""


def test_a_receiver_that_fails_then_recovers_gets_every_event_in_order_per_article(queue):  # noqa: F811
    receiver = Receiver(failures=4)
    try:
        queue.env.update(FAST_RETRIES)
        queue.worker("worker-1")
        queue.worker("worker-2")
        queue.scheduler()
        ids = queue.python(WRITE.format(url=receiver.url), env=FAST_RETRIES)
        expected = 3 * 4  # published, updated twice, unpublished
        deadline = time.monotonic() + 120
        while len(receiver.events()) < expected and time.monotonic() < deadline:
            time.sleep(0.2)
        events = receiver.events()
        assert len(events) == expected, (events, queue.log("worker-1"))
        for article_id in ids:
            mine = [event for event in events if event["data"]["id"] == article_id]
            assert [event["type"] for event in mine] == [
                "article.published",
                "article.updated",
                "article.updated",
                "article.unpublished",
            ]
            revisions = [event["data"]["revision"] for event in mine]
            assert revisions == sorted(revisions)
        assert receiver.answered >= expected + 4  # the failures were answered, and retried
        assert len({json.dumps(e, sort_keys=True) for e in events}) == expected  # none twice
    finally:
        receiver.stop()
