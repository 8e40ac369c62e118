"""Feeds at the desk: the admin's list with each feed's health, its actions and its page of recent batches; the
API's `/api/v1/feeds/` for editors only (anonymous readers and reporters learn nothing)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from articles.models import Feed, ImportBatch, ImportRecord
from tests.feeds.conftest import fixture_bytes
from tests.feeds.documents import item, rss
from tests.feeds.server import static

pytestmark = pytest.mark.django_db
ADMIN = "/admin/articles/feed/"
API = "/api/v1/feeds/"


@pytest.fixture(autouse=True)
def generous_throttles(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
    }


def feed_with_history(n: int, *, records: int = 2) -> Feed:
    feed = Feed.objects.create(
        url=f"https://wire.example/feed-{n}/",
        title=f"Wire {n}",
        last_success_at=timezone.now(),
        consecutive_errors=n % 3,
        last_error="The server answered 500 Internal Server Error." if n % 3 else "",
    )
    batch = ImportBatch.objects.create(channel="feed", status="finished", feed=feed, counts={"created": records})
    for i in range(records):
        ImportRecord.objects.create(batch=batch, origin=f"{feed.url}#item-{i + 1}", outcome="created")
    return feed


def signed_in(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_feed_list_shows_health_in_constant_queries(client, editor, django_assert_max_num_queries):
    client.force_login(editor)
    feed_with_history(1, records=14)
    with django_assert_max_num_queries(12) as few:
        first = client.get(ADMIN)
    for n in range(2, 12):
        feed_with_history(n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(ADMIN)
    assert first.status_code == response.status_code == 200
    page = response.content.decode()
    assert "Wire 11" in page
    assert "The server answered 500 Internal Server Error." in page
    assert '<td class="field-items_per_day">2.0</td>' in page, "14 items in the last 7 days"


def test_poll_now_enqueues_a_poll_and_enable_disable(client, editor, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    client.force_login(editor)
    feed = Feed.objects.create(url="https://wire.example/feed/", next_check_at=timezone.now() + timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADMIN, {"action": "poll_now", "_selected_action": [feed.pk]}, follow=True)
    assert "1 feed(s) will be polled" in response.content.decode()
    [task] = DBTaskResult.objects.filter(task_path="articles.feeds.polling.poll_feed")
    feed.refresh_from_db()
    assert task.args_kwargs["args"] == [feed.pk, feed.claim_token.hex]
    assert feed.next_check_at <= timezone.now()
    client.post(ADMIN, {"action": "disable", "_selected_action": [feed.pk]})
    feed.refresh_from_db()
    assert (feed.enabled, feed.disabled_reason) == (False, "Disabled by an editor.")
    client.post(ADMIN, {"action": "enable", "_selected_action": [feed.pk]})
    feed.refresh_from_db()
    assert (feed.enabled, feed.disabled_reason) == (True, "")


def test_a_feeds_page_shows_its_recent_batches_and_links_its_failures(client, editor):
    client.force_login(editor)
    feed, other = feed_with_history(1, records=3), feed_with_history(2, records=1)
    for owner in (feed, other):
        batch = owner.batches.get()
        ImportRecord.objects.create(batch=batch, origin=f"{owner.url}#item-9", outcome="failed", error="No title.")
    page = client.get(f"{ADMIN}{feed.pk}/change/").content.decode()
    assert "created 3" in page
    assert f"?feed={feed.pk}&amp;outcome=failed" in page
    failures = client.get(f"/admin/articles/importrecord/?feed={feed.pk}&outcome=failed").content.decode()
    assert f"{feed.url}#item-9" in failures
    assert f"{other.url}#item-9" not in failures, "only this feed's failures"


def test_adding_an_html_page_in_the_admin_is_refused_with_the_reason(client, editor, server):
    client.force_login(editor)
    server.routes["/page"] = static(fixture_bytes("page.html"), content_type="text/html")
    server.routes["/feed"] = static(rss([item(1, prefix="Desk")]))
    refused = client.post(f"{ADMIN}add/", {"url": server.url("/page"), "enabled": "on", "poll_interval": "00:15:00"})
    assert "HTML page, not a feed" in refused.content.decode()
    assert not Feed.objects.exists()
    added = client.post(f"{ADMIN}add/", {"url": server.url("/feed"), "enabled": "on", "poll_interval": "00:15:00"})
    assert added.status_code == 302
    assert Feed.objects.get().url == server.url("/feed")


def test_reporters_and_anonymous_readers_see_no_feeds(client, reporter):
    feed_with_history(1)
    assert APIClient().get(API).status_code in {401, 403}
    assert APIClient().get(f"{API}1/").status_code in {401, 403}
    assert APIClient().post(API, {"url": "https://x.example/feed"}, format="json").status_code in {401, 403}
    assert signed_in(reporter).get(API).status_code == 403
    client.force_login(reporter)
    assert client.get(ADMIN).status_code == 403


def test_editors_list_feeds_with_their_health_in_constant_queries(editor, django_assert_max_num_queries):
    api = signed_in(editor)
    feed_with_history(1)
    with django_assert_max_num_queries(6) as few:
        api.get(API)
    for n in range(2, 12):
        feed_with_history(n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = api.get(API)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert len(rows) == 11
    assert rows[1]["consecutive_errors"] == 2
    assert rows[0]["poll_interval"] == "15m"


def test_editors_subscribe_through_the_api_after_the_address_is_checked(editor, server):
    api = signed_in(editor)
    server.routes["/page"] = static(fixture_bytes("page.html"), content_type="text/html")
    server.routes["/feed"] = static(rss([item(1, prefix="Api")]))
    refused = api.post(API, {"url": server.url("/page")}, format="json")
    assert refused.status_code == 400
    assert "HTML page, not a feed" in refused.json()["errors"]["url"][0]
    bad_interval = api.post(API, {"url": server.url("/feed"), "poll_interval": "often"}, format="json")
    assert bad_interval.status_code == 400
    created = api.post(
        API, {"url": server.url("/feed"), "source": "Coastal Wire", "poll_interval": "2h"}, format="json"
    )
    assert created.status_code == 201, created.json()
    assert (created.json()["source"], created.json()["poll_interval"]) == ("Coastal Wire", "2h")
    feed = Feed.objects.get()
    off = api.patch(f"{API}{feed.pk}/", {"enabled": False}, format="json")
    assert (off.json()["enabled"], off.json()["disabled_reason"]) == (False, "Disabled by an editor.")


def test_poll_action_enqueues_a_poll(editor, django_capture_on_commit_callbacks):
    from articles import claims

    api = signed_in(editor)
    feed = Feed.objects.create(url="https://wire.example/feed/")
    with django_capture_on_commit_callbacks(execute=True):
        accepted = api.post(f"{API}{feed.pk}/poll/")
    assert accepted.status_code == 202
    assert api.post(f"{API}{feed.pk}/poll/").status_code == 409, "claimed by the poll just enqueued"
    feed.refresh_from_db()
    assert claims.claim_row(Feed, feed.pk) is None
