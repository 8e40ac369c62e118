"""Rate limits: anonymous clients by address at the anonymous rate, signed-in clients by account at theirs; the feeds
are limited at the same rates, by the same throttle classes, with counters of their own."""

import pytest
from django.core.cache import cache

from articles.models import Article

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"
FEED = "/feeds/"


@pytest.fixture
def rates(settings):
    """Return a function that sets the anonymous and signed-in rates (and trusted proxies) and resets the counters."""

    def set_rates(anon: str, user: str, *, proxies: int = 0):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": anon, "user": user},
            "NUM_PROXIES": proxies,
        }
        cache.clear()

    return set_rates


def test_anonymous_clients_get_the_anonymous_rate_even_above_the_signed_in_rate(anon, rates):
    rates("10/minute", "3/minute")
    assert [anon.get(LIST).status_code for _ in range(11)] == [200] * 10 + [429]


def test_signed_in_clients_get_the_signed_in_rate(client_for, editor, rates):
    rates("10/minute", "3/minute")
    client = client_for(editor)
    assert [client.get(LIST).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_anonymous_traffic_from_an_address_does_not_slow_an_editor_there(anon, client_for, editor, rates):
    rates("10/minute", "3/minute")
    assert [anon.get(LIST).status_code for _ in range(5)] == [200] * 5
    assert client_for(editor).get(LIST).status_code == 200


def test_a_feed_is_throttled_at_the_anonymous_rate_with_retry_after(client, rates, make_article):
    make_article("Live", status=Article.Status.PUBLISHED)
    rates("3/minute", "100/minute")
    statuses = [client.get(path).status_code for path in (FEED, f"{FEED}atom/", FEED, FEED)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get(FEED)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "throttled" in refused.content.decode()


def test_a_signed_in_feed_reader_gets_the_signed_in_rate(client, editor, rates):
    rates("1/minute", "3/minute")
    client.force_login(editor)
    assert [client.get(FEED).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_feeds_and_the_api_count_separately(client, anon, rates):
    rates("2/minute", "100/minute")
    assert [client.get(FEED).status_code for _ in range(3)] == [200, 200, 429]
    assert anon.get(LIST).status_code == 200


def test_without_a_trusted_proxy_a_forwarded_for_header_does_not_reset_the_feed_limit(client, rates):
    rates("2/minute", "100/minute", proxies=0)
    statuses = [client.get(FEED, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(3)]
    assert statuses == [200, 200, 429]


def test_behind_one_trusted_proxy_each_forwarded_client_has_its_own_feed_limit(client, rates):
    rates("2/minute", "100/minute", proxies=1)
    first = [client.get(FEED, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code for _ in range(3)]
    second = [client.get(FEED, HTTP_X_FORWARDED_FOR="203.0.113.2").status_code for _ in range(2)]
    assert first == [200, 200, 429] and second == [200, 200]
    # What a client writes in front of the proxy's own entry does not make it someone else.
    spoofed = client.get(FEED, HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.1")
    assert spoofed.status_code == 429
