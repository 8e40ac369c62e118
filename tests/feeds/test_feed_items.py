"""A feed's items polled into articles through the one import pipeline: stored once, re-polls unchanged, the
source from the feed or the footer, damaged documents read as far as they go, and a guid scheme changed."""

from datetime import timedelta

import pytest

from articles.feeds.polling import poll_now
from articles.models import Article, Feed, ImportBatch, ImportRecord, Source
from tests.feeds.conftest import fixture_bytes
from tests.feeds.documents import item, rss
from tests.feeds.server import static

pytestmark = pytest.mark.django_db


def subscribed(url: str, **fields) -> Feed:
    return Feed.objects.create(url=url, poll_interval=timedelta(minutes=15), **fields)


def test_a_feed_polled_stores_its_items_and_a_re_poll_changes_nothing(server):
    document = rss([item(n, prefix="Harbour") for n in range(3)])
    server.routes["/feed"] = static(document, etag='"v1"')
    feed = subscribed(server.url("/feed"))
    first = poll_now(feed)
    assert first.error == ""
    assert first.counts["created"] == 3
    feed.refresh_from_db()
    assert (feed.items_seen, feed.etag, feed.title, feed.last_status) == (3, '"v1"', "Wire Desk", 200)
    batch = ImportBatch.objects.get(pk=first.batch_id)
    assert (batch.feed, batch.channel) == (feed, ImportBatch.Channel.FEED)
    assert set(Article.objects.values_list("source__name", flat=True)) == {"The Harbour Gazette"}, "from the footer"
    again = poll_now(feed)
    assert again.outcome == "304 not modified"
    Feed.objects.filter(pk=feed.pk).update(etag="")  # as if the server sent no validators: the whole feed again
    third = poll_now(feed)
    assert third.counts.get("unchanged") == 3
    assert third.counts.get("created", 0) == 0
    assert Article.objects.count() == 3


def test_an_empty_feed_is_a_success_with_no_items(server):
    server.routes["/empty"] = static(fixture_bytes("empty.xml"))
    feed = subscribed(server.url("/empty"))
    result = poll_now(feed)
    assert result.error == ""
    assert sum(result.counts.values()) == 0
    feed.refresh_from_db()
    assert feed.last_success_at is not None
    assert feed.consecutive_errors == 0


def test_malformed_xml_keeps_what_can_be_read(server):
    server.routes["/broken"] = static(fixture_bytes("malformed.xml"))
    feed = subscribed(server.url("/broken"))
    result = poll_now(feed)
    assert result.error == ""
    assert result.counts.get("created", 0) >= 1
    assert Article.objects.filter(title__icontains="award").exists()


def test_the_feeds_source_is_every_items_source(server):
    server.routes["/feed"] = static(rss([item(1, prefix="Sourced")], outlet="Someone Else"))
    feed = subscribed(server.url("/feed"), source=Source.objects.create(name="Coastal Wire", slug="coastal-wire"))
    poll_now(feed)
    assert list(Article.objects.values_list("source__name", flat=True)) == ["Coastal Wire"]


def test_a_feed_that_changes_its_guid_scheme_does_not_duplicate_its_items(server):
    before = [item(n, prefix="Scheme", guid=f"https://wire.example/?p={n}") for n in range(3)]
    after = [item(n, prefix="Scheme", guid=f"tag:wire.example,2026:{n}") for n in range(3)]
    server.routes["/feed"] = static(rss(before))
    feed = subscribed(server.url("/feed"))
    assert poll_now(feed).counts["created"] == 3
    server.routes["/feed"] = static(rss(after))
    changed = poll_now(feed)
    assert changed.error == ""
    assert changed.counts.get("created", 0) == 0, changed.counts
    assert Article.objects.count() == 3
    assert ImportRecord.objects.filter(batch__feed=feed).count() == 6
