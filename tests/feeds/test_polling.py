"""Polling a feed in this process against a real local HTTP server: each fault recorded on the feed with its reason
and a next check put back; a good poll stores the items through the pipeline, and a re-poll changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.feeds import schedule
from articles.feeds.polling import enqueue_due_feeds, poll_now
from articles.models import Article, Feed, ImportBatch
from tests.feeds.conftest import fixture_bytes
from tests.feeds.documents import item, rss
from tests.feeds.server import Reply, redirect, static, status

pytestmark = pytest.mark.django_db


def subscribed(url: str, **fields) -> Feed:
    return Feed.objects.create(url=url, poll_interval=timedelta(minutes=15), **fields)


def assert_backed_off(feed: Feed, *, errors: int, reason: str, before) -> None:
    feed.refresh_from_db()
    assert feed.consecutive_errors == errors
    assert reason in feed.last_error
    assert feed.last_error_at is not None
    assert feed.enabled, "a failing feed is never stopped silently"
    assert feed.claim_token is None, "the claim is released with the outcome"
    expected = schedule.backoff(feed.poll_interval, errors)
    assert before + expected <= feed.next_check_at <= timezone.now() + expected


def test_an_html_page_instead_of_a_feed_is_an_error_with_the_reason(server):
    server.routes["/page"] = static(fixture_bytes("page.html"), content_type="text/html")
    feed = subscribed(server.url("/page"))
    before = timezone.now()
    result = poll_now(feed)
    assert "HTML page, not a feed" in result.error
    assert_backed_off(feed, errors=1, reason="HTML page, not a feed", before=before)
    assert feed.last_status == 200
    assert Article.objects.count() == 0


@pytest.mark.parametrize(("code", "words"), [(404, "404 Not Found"), (500, "500 Internal Server Error")])
def test_an_http_error_backs_off_exponentially(server, code, words):
    server.routes["/feed"] = status(code)
    feed = subscribed(server.url("/feed"))
    for errors in (1, 2, 3):
        before = timezone.now()
        assert words in poll_now(feed).error
        assert_backed_off(feed, errors=errors, reason=words, before=before)
        assert feed.last_status == code
    assert feed.next_check_at - timezone.now() > timedelta(minutes=59), "15 m, 30 m, then an hour"


def test_backoff_stops_at_48_hours_and_polling_goes_on():
    assert schedule.backoff(timedelta(minutes=15), 1) == timedelta(minutes=15)
    assert schedule.backoff(timedelta(minutes=15), 4) == timedelta(hours=2)
    assert schedule.backoff(timedelta(minutes=15), 40) == timedelta(hours=48)
    assert schedule.backoff(timedelta(seconds=10), 1) == timedelta(minutes=1), "a short interval backs off from 1 m"


def test_410_gone_disables_the_feed_with_the_reason(server):
    server.routes["/feed"] = status(410)
    feed = subscribed(server.url("/feed"))
    poll_now(feed)
    feed.refresh_from_db()
    assert not feed.enabled
    assert "410 Gone" in feed.disabled_reason
    assert feed.last_status == 410
    feed.next_check_at = timezone.now() - timedelta(minutes=1)
    feed.save()
    assert enqueue_due_feeds() == 0, "a disabled feed is not polled"


def test_429_with_retry_after_waits_as_long_as_the_server_asks(server):
    server.routes["/feed"] = status(429, Retry_After="7200")
    feed = subscribed(server.url("/feed"))
    before = timezone.now()
    poll_now(feed)
    feed.refresh_from_db()
    assert feed.consecutive_errors == 1
    assert "429" in feed.last_error
    assert feed.next_check_at >= before + timedelta(hours=2)


def test_a_304_costs_nothing_and_counts_as_a_success(server):
    server.routes["/feed"] = static(rss([]), etag='"v7"')
    feed = subscribed(server.url("/feed"), etag='"v7"', consecutive_errors=3, last_error="earlier")
    before = timezone.now()
    result = poll_now(feed)
    assert (result.outcome, result.error, result.counts) == ("304 not modified", "", {})
    feed.refresh_from_db()
    assert (feed.last_status, feed.consecutive_errors, feed.etag) == (304, 0, '"v7"')
    assert feed.last_success_at >= before
    assert feed.next_check_at >= before + timedelta(minutes=15)
    assert ImportBatch.objects.count() == 0, "nothing to import, no batch"


def test_max_age_longer_than_the_interval_is_respected(server):
    server.routes["/feed"] = static(rss([]), etag='"v1"', **{"Cache-Control": "max-age=7200"})
    feed = subscribed(server.url("/feed"), etag='"v1"')
    before = timezone.now()
    poll_now(feed)
    feed.refresh_from_db()
    assert feed.next_check_at >= before + timedelta(hours=2)


def test_a_permanent_redirect_updates_the_stored_address_and_a_temporary_one_does_not(server):
    server.routes["/old"] = redirect(301, "/new")
    server.routes["/new"] = static(rss([]), etag='"same"')
    server.routes["/for-now"] = redirect(302, "/new")
    moved = subscribed(server.url("/old"), etag='"same"')
    poll_now(moved)
    moved.refresh_from_db()
    assert moved.url == server.url("/new")
    assert moved.last_status == 304
    temporary = subscribed(server.url("/for-now"), etag='"other"')
    poll_now(temporary)
    temporary.refresh_from_db()
    assert temporary.url == server.url("/for-now")


def test_a_redirect_loop_a_refused_connection_and_a_tls_error_are_recorded(server, tls_server):
    server.routes["/a"] = redirect(302, "/b")
    server.routes["/b"] = redirect(302, "/a")
    tls_server.routes["/feed"] = static(rss([]))
    loop, tls = subscribed(server.url("/a")), subscribed(tls_server.url("/feed"))
    refused = subscribed("http://127.0.0.1:9/feed")  # the discard port: nothing listens
    for feed, reason in [(loop, "redirect loop"), (tls, "certificate could not be verified"), (refused, "connect")]:
        before = timezone.now()
        poll_now(feed)
        assert_backed_off(feed, errors=1, reason=reason, before=before)


def test_a_slow_server_and_an_oversized_feed_are_cut(server, settings):
    settings.NEWSROOM_FEEDS_DEADLINE_SECONDS = 1
    settings.NEWSROOM_FEEDS_MAX_BYTES = 2000
    server.routes["/slow"] = lambda headers: Reply(200, rss([item(1, prefix="Slow")]), {}, trickle_seconds=0.05)
    server.routes["/big"] = static(rss([item(n, prefix="Big") for n in range(30)]))
    slow, big = subscribed(server.url("/slow")), subscribed(server.url("/big"))
    poll_now(slow)
    poll_now(big)
    slow.refresh_from_db()
    big.refresh_from_db()
    assert "deadline" in slow.last_error
    assert "larger than the limit of 2,000 bytes" in big.last_error
    assert Article.objects.count() == 0


def test_a_private_address_is_refused_without_the_setting(server, settings):
    settings.NEWSROOM_FEEDS_ALLOW_PRIVATE = False
    server.routes["/feed"] = static(rss([item(1, prefix="Private")]))
    feed = subscribed(server.url("/feed"))
    poll_now(feed)
    feed.refresh_from_db()
    assert "private, loopback or link-local" in feed.last_error
    assert feed.last_status is None
    assert server.requests == []


def test_one_failing_feed_does_not_stop_the_others(server):
    server.routes["/broken"] = status(500)
    server.routes["/quiet"] = static(rss([]), etag='"q"')
    broken, quiet = subscribed(server.url("/broken")), subscribed(server.url("/quiet"), etag='"q"')
    results = [poll_now(feed) for feed in (broken, quiet)]
    assert [bool(result.error) for result in results] == [True, False]


def test_a_feed_being_polled_elsewhere_is_skipped(server):
    from articles import claims

    feed = subscribed(server.url("/feed"))
    assert claims.claim_row(Feed, feed.pk) is not None
    result = poll_now(feed)
    assert result.skipped
    assert server.requests == []


def test_the_scheduler_claims_only_due_enabled_feeds(server):
    due = subscribed(server.url("/due"), next_check_at=timezone.now() - timedelta(seconds=1))
    subscribed(server.url("/later"), next_check_at=timezone.now() + timedelta(hours=1))
    subscribed(server.url("/off"), enabled=False, next_check_at=timezone.now() - timedelta(hours=1))
    assert enqueue_due_feeds() == 1
    due.refresh_from_db()
    assert due.claim_token is not None
    assert enqueue_due_feeds() == 0, "claimed: not enqueued twice"


def claimed_together(*feeds: Feed) -> str:
    """Claim `feeds` as the scheduler does (one token for all of them); return the token."""
    from articles import claims

    taken = claims.claim(Feed.objects.filter(pk__in=[feed.pk for feed in feeds]))
    assert len(taken) == len(feeds)
    return taken[0].token


def test_a_task_fetches_its_feeds_together_and_records_each_poll(server):
    from articles.feeds.polling import poll_feeds

    server.routes["/fresh"] = static(rss([item(i, prefix="Together") for i in range(2)]), etag='"f1"')
    server.routes["/quiet-a"] = static(rss([]), etag='"qa"')
    server.routes["/quiet-b"] = static(rss([]), etag='"qb"')
    server.routes["/broken"] = status(500)
    server.routes["/gone"] = status(410)
    fresh, broken = subscribed(server.url("/fresh")), subscribed(server.url("/broken"))
    quiet_a, gone = subscribed(server.url("/quiet-a"), etag='"qa"'), subscribed(server.url("/gone"))
    quiet_b = subscribed(server.url("/quiet-b"), etag='"qb"', consecutive_errors=2, last_error="earlier")
    feeds = [fresh, broken, quiet_a, gone, quiet_b]
    before = timezone.now()

    results = poll_feeds.call([feed.pk for feed in feeds], claimed_together(*feeds))

    assert [result["feed_id"] for result in results] == [feed.pk for feed in feeds], "in the order given"
    by_feed = {result["feed_id"]: result for result in results}
    assert by_feed[fresh.pk]["counts"]["created"] == 2
    assert by_feed[quiet_a.pk]["outcome"] == by_feed[quiet_b.pk]["outcome"] == "304 not modified"
    assert "500" in by_feed[broken.pk]["error"] and by_feed[gone.pk]["error"]
    assert sorted(server.paths()) == sorted(["/fresh", "/broken", "/quiet-a", "/gone", "/quiet-b"]), "one fetch each"
    for feed in feeds:
        feed.refresh_from_db()
        assert feed.claim_token is None and feed.claimed_until is None, "each claim released with its outcome"
        assert feed.last_polled_at >= before
    assert Article.objects.filter(title__startswith="Together").count() == 2
    assert ImportBatch.objects.get().feed == fresh, "the batch is its feed's from the start"
    assert (fresh.etag, fresh.consecutive_errors) == ('"f1"', 0)
    assert (quiet_b.consecutive_errors, quiet_b.last_status, quiet_b.last_error) == (0, 304, "earlier")
    assert broken.consecutive_errors == 1 and broken.next_check_at > before
    assert not gone.enabled and gone.disabled_reason


def test_a_task_delivered_twice_polls_nothing_the_second_time(server):
    from articles.feeds.polling import poll_feeds

    server.routes["/one"] = static(rss([item(1, prefix="Twice")]))
    server.routes["/two"] = static(rss([]), etag='"t"')
    one, two = subscribed(server.url("/one")), subscribed(server.url("/two"), etag='"t"')
    token = claimed_together(one, two)
    first = poll_feeds.call([one.pk, two.pk], token)
    second = poll_feeds.call([one.pk, two.pk], token)
    assert not any(result["skipped"] for result in first)
    assert [result["skipped"] != "" for result in second] == [True, True]
    assert len(server.requests) == 2, "the second delivery fetched nothing"
    assert Article.objects.filter(title__startswith="Twice").count() == 1


def test_a_task_polls_only_the_feeds_its_token_still_holds(server):
    from articles import claims
    from articles.feeds.polling import poll_feeds

    server.routes["/kept"] = static(rss([]), etag='"k"')
    server.routes["/lost"] = static(rss([]), etag='"l"')
    kept, lost = subscribed(server.url("/kept"), etag='"k"'), subscribed(server.url("/lost"), etag='"l"')
    token = claimed_together(kept, lost)
    # The claim on one feed lapsed (a slow worker), and the scheduler gave it to another task under a new token.
    Feed.objects.filter(pk=lost.pk).update(claimed_until=timezone.now() - timedelta(seconds=1))
    [other] = claims.claim(Feed.objects.filter(pk=lost.pk))
    results = poll_feeds.call([kept.pk, lost.pk], token)
    assert [result["skipped"] == "" for result in results] == [True, False]
    assert server.paths() == ["/kept"]
    lost.refresh_from_db()
    assert lost.claim_token.hex == other.token, "the other task's claim is left alone"


def test_the_scheduler_hands_due_feeds_out_a_few_to_a_task(server, settings, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    settings.NEWSROOM_FEEDS_PER_TASK = 2
    due = timezone.now() - timedelta(seconds=1)
    feeds = [subscribed(server.url(f"/feed-{n}"), next_check_at=due) for n in range(5)]
    with django_capture_on_commit_callbacks(execute=True):
        assert enqueue_due_feeds() == 5
    rows = DBTaskResult.objects.filter(task_path="articles.feeds.polling.poll_feeds").order_by("enqueued_at", "pk")
    given = [row.args_kwargs["args"] for row in rows]
    assert [ids for ids, _token in given] == [[feeds[0].pk, feeds[1].pk], [feeds[2].pk, feeds[3].pk], [feeds[4].pk]]
    token = given[0][1]
    assert {row_token for _ids, row_token in given} == {token}
    assert all(feed.claim_token.hex == token for feed in Feed.objects.all()), "each feed claimed for its task"


def test_renewing_a_task_s_claims_extends_only_those_it_still_holds():
    from articles import claims

    held, lapsed, foreign = (subscribed(f"https://wire.example/{name}") for name in ("held", "lapsed", "foreign"))
    token = claimed_together(held, lapsed)
    Feed.objects.filter(pk=lapsed.pk).update(claimed_until=timezone.now() - timedelta(seconds=1))
    claims.claim(Feed.objects.filter(pk=foreign.pk))
    before = Feed.objects.get(pk=held.pk).claimed_until
    assert claims.renew_all(Feed, [held.pk, lapsed.pk, foreign.pk], token) == [held.pk]
    assert Feed.objects.get(pk=held.pk).claimed_until > before
    assert Feed.objects.get(pk=lapsed.pk).claimed_until < timezone.now(), "a lapsed claim is not taken back"
