"""Fetching a feed over real local HTTP: conditional GET, gzip, redirects, limits, timeouts, TLS, addresses."""

import socket
from datetime import UTC, datetime, timedelta

import pytest

from articles.feeds import fetch as fetching
from articles.feeds.guard import is_public
from tests.feeds.conftest import fixture_bytes
from tests.feeds.server import Reply, redirect, static, status

RSS = fixture_bytes("wordpress_rss2.xml")


def limits(**changes):
    return fetching.Limits(
        **{
            "connect_timeout": 5,
            "read_timeout": 5,
            "deadline": 30,
            "max_bytes": 1_000_000,
            "allow_private": True,
            **changes,
        }
    )


def test_a_feed_is_fetched_with_newsrooms_user_agent_and_its_validators(server):
    server.routes["/feed"] = static(RSS, etag='"v1"', **{"Last-Modified": "Tue, 01 Dec 2026 10:00:00 GMT"})
    got = fetching.fetch(server.url("/feed"))
    assert (got.kind, got.status, got.body) == ("ok", 200, RSS)
    assert (got.etag, got.last_modified) == ('"v1"', "Tue, 01 Dec 2026 10:00:00 GMT")
    _, headers = server.requests[-1]
    assert headers["user-agent"] == "newsroom feed reader (+https://newsroom.example/about-our-reader)"
    assert "gzip" in headers["accept-encoding"]


def test_a_conditional_get_answered_304_has_no_body(server):
    server.routes["/feed"] = static(RSS, etag='"v1"')
    got = fetching.fetch(server.url("/feed"), etag='"v1"', last_modified="Tue, 01 Dec 2026 10:00:00 GMT")
    assert (got.kind, got.status, got.body, got.ok) == ("not_modified", 304, None, True)
    _, headers = server.requests[-1]
    assert headers["if-none-match"] == '"v1"'
    assert headers["if-modified-since"] == "Tue, 01 Dec 2026 10:00:00 GMT"


def test_a_gzipped_answer_is_decompressed(server):
    server.routes["/feed"] = lambda headers: Reply(200, RSS, {"Content-Type": "application/rss+xml"}, gzip=True)
    got = fetching.fetch(server.url("/feed"))
    assert got.body == RSS


def test_a_permanent_redirect_gives_the_new_address_and_a_temporary_one_does_not(server):
    server.routes["/old"] = redirect(301, "/new")
    server.routes["/new"] = static(RSS)
    server.routes["/elsewhere"] = redirect(302, "/new")
    moved = fetching.fetch(server.url("/old"))
    assert (moved.kind, moved.body, moved.permanent_url) == ("ok", RSS, server.url("/new"))
    temporary = fetching.fetch(server.url("/elsewhere"))
    assert (temporary.kind, temporary.body, temporary.permanent_url) == ("ok", RSS, "")
    server.routes["/mixed"] = redirect(308, "/elsewhere")
    assert fetching.fetch(server.url("/mixed")).permanent_url == "", "a permanent hop then a temporary one: kept"


def test_a_redirect_loop_and_too_many_redirects_are_refused(server):
    server.routes["/a"] = redirect(302, "/b")
    server.routes["/b"] = redirect(302, "/a")
    loop = fetching.fetch(server.url("/a"))
    assert loop.kind == "redirects"
    assert "redirect loop" in loop.error
    for i in range(7):
        server.routes[f"/hop{i}"] = redirect(302, f"/hop{i + 1}")
    server.routes["/hop7"] = static(RSS)
    chain = fetching.fetch(server.url("/hop0"))
    assert chain.kind == "redirects"
    assert "More than 5 redirects" in chain.error
    assert server.paths()[2:] == [f"/hop{i}" for i in range(6)], "five redirects followed, the sixth refused"


@pytest.mark.parametrize(
    ("code", "kind", "words"),
    [(404, "http", "404 Not Found"), (500, "http", "500 Internal Server Error"), (410, "gone", "410 Gone")],
)
def test_error_statuses_give_their_reason(server, code, kind, words):
    server.routes["/feed"] = status(code, b"<html>nope</html>")
    got = fetching.fetch(server.url("/feed"))
    assert (got.kind, got.status, got.body, got.ok) == (kind, code, None, False)
    assert words in got.error


def test_retry_after_and_max_age_are_handed_back(server):
    server.routes["/busy"] = status(429, Retry_After="120")
    busy = fetching.fetch(server.url("/busy"))
    assert (busy.kind, busy.status, busy.retry_after) == ("http", 429, 120.0)
    assert "retry after 120 s" in busy.error
    server.routes["/cached"] = static(RSS, **{"Cache-Control": "public, max-age=3600"})
    assert fetching.fetch(server.url("/cached")).max_age == 3600.0


def test_retry_after_as_an_http_date():
    now = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    later = (now + timedelta(minutes=30)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert fetching.parse_retry_after(later, now=now) == 1800.0
    assert fetching.parse_retry_after("soon", now=now) is None


def test_a_connection_refused_is_a_network_failure():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    got = fetching.fetch(f"http://127.0.0.1:{port}/feed", limits=limits())
    assert (got.kind, got.status) == ("network", None)
    assert "Could not connect" in got.error


def test_a_server_trickling_byte_by_byte_is_cut_at_the_deadline(server):
    server.routes["/slow"] = lambda headers: Reply(200, RSS, {"Content-Type": "application/rss+xml"}, 0.05)
    got = fetching.fetch(server.url("/slow"), limits=limits(read_timeout=2, deadline=1))
    assert got.kind == "timeout"
    assert "deadline" in got.error
    assert got.body is None


def test_a_server_that_stops_sending_times_out(server):
    server.routes["/stalled"] = lambda headers: Reply(200, b"<rss>", {}, trickle_seconds=3)
    got = fetching.fetch(server.url("/stalled"), limits=limits(read_timeout=0.5))
    assert got.kind == "timeout"
    assert "sent nothing for 0.5 s" in got.error


def test_a_body_over_the_size_limit_is_refused_declared_or_streamed(server):
    server.routes["/big"] = static(b"<rss>" + b" " * 5000 + b"</rss>")
    got = fetching.fetch(server.url("/big"), limits=limits(max_bytes=1000))
    assert (got.kind, got.body) == ("too_large", None)
    assert "declares 5,011 bytes" in got.error
    # Compressed, the body is small on the wire; it is counted once decompressed.
    bomb = b"<rss>" + b" " * 200_000 + b"</rss>"
    server.routes["/bomb"] = lambda headers: Reply(200, bomb, {"Content-Type": "application/rss+xml"}, gzip=True)
    got = fetching.fetch(server.url("/bomb"), limits=limits(max_bytes=100_000))
    assert got.kind == "too_large"
    assert "went on past the limit" in got.error


def test_a_tls_error_is_reported_as_such(tls_server):
    tls_server.routes["/feed"] = static(RSS)
    got = fetching.fetch(tls_server.url("/feed"), limits=limits())
    assert (got.kind, got.status) == ("tls", None)
    assert "certificate could not be verified" in got.error


def test_private_addresses_are_refused_without_the_setting(server):
    server.routes["/feed"] = static(RSS)
    got = fetching.fetch(server.url("/feed"), limits=limits(allow_private=False))
    assert (got.kind, got.status) == ("refused", None)
    assert "127.0.0.1" in got.error
    assert server.requests == [], "nothing was sent to the private address"
    by_name = fetching.fetch(f"http://localhost:{server.port}/feed", limits=limits(allow_private=False))
    assert by_name.kind == "refused"
    assert server.requests == []


def test_a_redirect_to_a_refused_address_is_not_followed(server):
    # 127.0.0.1 stands for a public server here; every other address is refused, as private ones are in production.
    only_this_server = limits(address_allowed=lambda address: address == "127.0.0.1")
    server.routes["/feed"] = static(RSS)
    assert fetching.fetch(server.url("/feed"), limits=only_this_server).body == RSS
    server.routes["/go"] = redirect(302, f"http://127.0.0.2:{server.port}/feed")
    got = fetching.fetch(server.url("/go"), limits=only_this_server)
    assert (got.kind, got.body) == ("refused", None)
    assert "127.0.0.2" in got.error
    assert server.paths() == ["/feed", "/go"], "the redirect's target was never asked"


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("::1", False),
        ("fe80::1", False),
        ("fd00::1", False),
        ("::ffff:10.0.0.1", False),
        ("0.0.0.0", False),  # noqa: S104 - an address checked, not bound
        ("100.64.0.1", False),
        ("224.0.0.1", False),
        ("93.184.215.14", True),
        ("2606:4700::1111", True),
    ],
)
def test_which_addresses_are_public(address, public):
    assert is_public(address) is public


def test_only_http_and_https_are_fetched():
    got = fetching.fetch("file:///etc/passwd", limits=limits())
    assert got.kind == "refused"
