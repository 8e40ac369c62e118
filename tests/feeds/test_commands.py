"""`add_feed` checks the address answers with a feed before saving it; `poll_feeds --once` polls now and says how
each feed went. Durations are typed as editors type them."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command

from articles.feeds.durations import describe, parse_duration, parse_poll_interval
from articles.models import Feed
from tests.feeds.conftest import fixture_bytes
from tests.feeds.documents import item, rss
from tests.feeds.server import redirect, static, status


@pytest.mark.parametrize(
    ("text", "seconds"), [("90s", 90), ("15m", 900), ("2h", 7200), ("1d", 86400), ("1h30m", 5400), (" 2H ", 7200)]
)
def test_durations(text, seconds):
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["", "15", "fifteen minutes", "15 minutes", "-5m", "1.5h", "m"])
def test_what_is_not_a_duration_says_what_is(text):
    with pytest.raises(ValueError, match="90s, 15m, 2h, 1d"):
        parse_duration(text)


def test_a_poll_interval_is_not_shorter_than_ten_seconds():
    with pytest.raises(ValueError, match="at most every 10s"):
        parse_poll_interval("5s")
    assert describe(parse_poll_interval("1h30m")) == "1h30m"


@pytest.mark.django_db
def test_add_feed_saves_a_feed_that_answers_with_one(server, capsys):
    server.routes["/feed"] = static(rss([item(1, prefix="Added")]))
    call_command("add_feed", server.url("/feed"), "--source", "Coastal Wire", "--interval", "2h")
    feed = Feed.objects.get()
    assert (feed.url, feed.source.name, feed.poll_interval, feed.enabled) == (
        server.url("/feed"),
        "Coastal Wire",
        timedelta(hours=2),
        True,
    )
    assert "rss" in capsys.readouterr().out
    with pytest.raises(CommandError, match="subscribed to already"):
        call_command("add_feed", server.url("/feed"))


@pytest.mark.django_db
def test_add_feed_refuses_an_html_page_with_a_clear_error(server):
    server.routes["/page"] = static(fixture_bytes("page.html"), content_type="text/html")
    with pytest.raises(CommandError, match="HTML page, not a feed"):
        call_command("add_feed", server.url("/page"))
    assert not Feed.objects.exists()


@pytest.mark.django_db
def test_add_feed_refuses_an_address_that_does_not_answer(server):
    server.routes["/gone"] = status(404)
    with pytest.raises(CommandError, match="404 Not Found"):
        call_command("add_feed", server.url("/gone"))
    with pytest.raises(CommandError, match="http:// or https://"):
        call_command("add_feed", "ftp://example.com/feed")
    with pytest.raises(CommandError, match="--interval"):
        call_command("add_feed", server.url("/gone"), "--interval", "soon")
    assert not Feed.objects.exists()


@pytest.mark.django_db
def test_add_feed_stores_the_address_a_permanent_redirect_gives(server):
    server.routes["/old"] = redirect(301, "/new")
    server.routes["/new"] = static(rss([]))
    call_command("add_feed", server.url("/old"), verbosity=0)
    assert Feed.objects.get().url == server.url("/new")


@pytest.mark.django_db
def test_poll_feeds_reports_each_feed_and_fails_when_one_failed(server, capsys):
    server.routes["/quiet"] = static(rss([]), etag='"q"')
    server.routes["/broken"] = status(500)
    quiet = Feed.objects.create(url=server.url("/quiet"), etag='"q"')
    broken = Feed.objects.create(url=server.url("/broken"))
    Feed.objects.create(url=server.url("/off"), enabled=False)
    with pytest.raises(CommandError, match="1 feed"):
        call_command("poll_feeds", "--once")
    out = capsys.readouterr().out
    assert f"feed {quiet.pk} {quiet.url}: new 0, updated 0, unchanged 0, failed 0; HTTP 304 not modified" in out
    assert f"feed {broken.pk} {broken.url}: " in out
    assert "500 Internal Server Error" in out
    assert "/off" not in out
    assert "2 feed(s) polled, 1 failed." in out
    call_command("poll_feeds", "--once", "--feed", str(quiet.pk))
    assert "1 feed(s) polled, 0 failed." in capsys.readouterr().out
    with pytest.raises(CommandError, match="No feed"):
        call_command("poll_feeds", "--once", "--feed", "https://nowhere.example/feed")
    with pytest.raises(CommandError, match="--once"):
        call_command("poll_feeds")
