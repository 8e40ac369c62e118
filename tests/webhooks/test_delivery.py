"""Deliveries against a real local receiver: signed, retried on the schedule, in order per article, guarded."""

import json

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from articles import claims, workflow
from articles.models import Article, WebhookDelivery, WebhookEndpoint
from articles.webhooks import delivery, signing
from tests.webhooks.receiver import Receiver

pytestmark = pytest.mark.django_db


def send_due() -> int:
    """Do what the worker does for every due delivery, in this process; return how many were sent."""
    sent = 0
    for claim in claims.claim(delivery.due_deliveries()):
        delivery.send_delivery.call(claim.pk, claim.token)
        sent += 1
    return sent


def test_publishing_sends_a_signed_event_the_receiver_can_verify(receiver, allow_private, make_article, editor):
    endpoint = WebhookEndpoint.objects.create(url=receiver.url)
    article = make_article("Harbour fees")
    assert WebhookDelivery.objects.count() == 0  # a draft's creation is no event
    workflow.publish([article], user=editor)
    assert send_due() == 1
    [message] = receiver.received
    headers = {key.lower(): value for key, value in message["headers"].items()}
    assert signing.verify(
        endpoint.secret,
        headers["webhook-id"],
        headers["webhook-timestamp"],
        message["body"],
        headers["webhook-signature"],
    )
    payload = json.loads(message["body"])
    assert payload["type"] == "article.published" and payload["data"] == {"id": article.pk, "revision": 2}
    row = WebhookDelivery.objects.get()
    assert (row.status, row.attempts, row.last_status_code) == ("delivered", 1, 204)
    assert row.latency_ms is not None


def test_an_endpoint_gets_only_the_events_it_asked_for(receiver, allow_private, make_article, editor):
    WebhookEndpoint.objects.create(url=receiver.url, events=["article.unpublished"])
    article = make_article("Harbour fees", status=Article.Status.PUBLISHED)
    workflow.unpublish([article], user=editor)
    assert list(WebhookDelivery.objects.values_list("event", flat=True)) == ["article.unpublished"]


def test_a_failing_receiver_is_retried_on_the_schedule_and_gets_events_in_order(allow_private, make_article, settings):
    settings.NEWSROOM_WEBHOOKS_RETRY_SCHEDULE = [0, 60, 60]
    failing = Receiver(failures=1)
    try:
        WebhookEndpoint.objects.create(url=failing.url)
        article = make_article("Harbour fees", status=Article.Status.PUBLISHED)  # published: created as public
        article.title = "Harbour fees, edited"
        article.save()
        assert send_due() == 1  # the edit waits for the publication, which fails
        first = WebhookDelivery.objects.get(event="article.published")
        assert (first.status, first.attempts, first.response_excerpt) == ("pending", 1, "down for now")
        assert 59 <= (first.next_attempt_at - timezone.now()).total_seconds() <= 60
        assert send_due() == 0  # not due yet; the edit still waits behind it
        WebhookDelivery.objects.filter(pk=first.pk).update(next_attempt_at=timezone.now())
        assert send_due() == 1  # the publication, then the edit that waited for it, in one task
        assert [event["type"] for event in failing.events()] == ["article.published", "article.updated"]
    finally:
        failing.stop()


def test_an_endpoint_failing_for_five_days_is_disabled_with_the_reason(allow_private, settings):
    settings.NEWSROOM_WEBHOOKS_RETRY_SCHEDULE = [0, 0, 0]
    failing = Receiver(failures=10)
    try:
        endpoint = WebhookEndpoint.objects.create(url=failing.url)
        delivery.send_test_event(endpoint)
        assert send_due() == 1
        endpoint.refresh_from_db()
        assert endpoint.enabled and endpoint.failing_since is not None
        WebhookEndpoint.objects.update(failing_since=timezone.now() - timezone.timedelta(days=5, minutes=1))
        assert send_due() == 1
        endpoint.refresh_from_db()
        assert not endpoint.enabled and "5 days" in endpoint.disabled_reason
    finally:
        failing.stop()


def test_a_private_address_is_refused_without_being_connected_to(receiver, settings):
    settings.NEWSROOM_WEBHOOKS_ALLOW_PRIVATE = False
    endpoint = WebhookEndpoint.objects.create(url=receiver.url)
    delivery.send_test_event(endpoint)
    send_due()
    row = WebhookDelivery.objects.get()
    assert row.status == "pending" and "private" in row.last_error
    assert receiver.answered == 0


def test_redeliver_sends_the_same_message_again(receiver, allow_private):
    endpoint = WebhookEndpoint.objects.create(url=receiver.url)
    delivery.send_test_event(endpoint)
    send_due()
    delivery.redeliver(WebhookDelivery.objects.all())
    send_due()
    ids = [message["headers"]["webhook-id"] for message in receiver.received]
    assert len(ids) == 2 and ids[0] == ids[1]


def test_import_failures_and_feed_health_are_events(receiver, allow_private):
    from articles.ingest.importer import ImportOptions, import_bytes

    WebhookEndpoint.objects.create(url=receiver.url)
    result = import_bytes(b"\x00\x01\x02binary", origin="bad.bin", options=ImportOptions())
    assert result.outcome == "failed"
    [row] = WebhookDelivery.objects.all()
    assert row.event == "import.failed" and row.payload["data"]["origin"] == "bad.bin"


def test_endpoints_are_for_editors_only(editor, reporter, client_for):
    assert APIClient().get("/api/v1/webhooks/").status_code in (401, 403)
    assert client_for(reporter).get("/api/v1/webhooks/").status_code == 403
    created = client_for(editor).post(
        "/api/v1/webhooks/", {"url": "https://partner.example/hook", "events": ["article.published"]}, format="json"
    )
    assert created.status_code == 201, created.content
    assert created.json()["secret"].startswith("whsec_")
    refused = client_for(editor).post(
        "/api/v1/webhooks/", {"url": "https://x.example/", "secret": "nope"}, format="json"
    )
    assert refused.status_code == 400 and "secret" in refused.json()["errors"]
