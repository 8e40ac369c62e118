"""One fetch of a feed over HTTP, politely and within bounds; never raises for what a server or network may do.

httpx does the HTTP (never feedparser's own fetching, which has no timeout). Bounded: a connect and a read timeout,
and a deadline for the whole fetch (a server trickling bytes is cut there); the body streamed and refused past a
size limit (counted after gzip is undone, so a small compressed bomb is refused too); at most five redirects,
followed here so each hop is checked (its address through `guard`, and loops). Polite: a conditional GET (ETag,
Last-Modified: a 304 costs the server nothing), gzip, a User-Agent naming newsroom, and the server's `Retry-After`
and `Cache-Control: max-age` handed back for the next check. The outcome is a `Fetched`, whatever happened.
"""

import email.utils
import re
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

import certifi
import httpcore
import httpx
from django.conf import settings

from articles.feeds.guard import AddressRefused, GuardedBackend, is_public

MAX_REDIRECTS = 5
PERMANENT = {301, 308}
REDIRECTS = {301, 302, 303, 307, 308}
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml, "
    "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"
)
MAX_AGE = re.compile(r"(?:^|,)\s*max-age\s*=\s*\"?(\d+)", re.IGNORECASE)


@dataclass
class Fetched:
    """What one fetch gave: the answer's status and body, or why there was none (`error`), and the server's hints."""

    url: str
    status: int | None = None
    body: bytes | None = None
    error: str = ""
    kind: str = "ok"  # ok, not_modified, gone, http, network, refused, timeout, tls, too_large, redirects
    final_url: str = ""
    permanent_url: str = ""  # the new address, when every redirect on the way was permanent
    etag: str = ""
    last_modified: str = ""
    retry_after: float | None = None  # seconds
    max_age: float | None = None  # seconds
    content_type: str = ""

    @property
    def ok(self) -> bool:
        return self.kind in {"ok", "not_modified"}

    @property
    def outcome(self) -> str:
        """The HTTP outcome in a few words, as the poll command prints it."""
        if self.kind == "not_modified":
            return "304 not modified"
        if self.status is not None:
            moved = f" (moved to {self.permanent_url})" if self.permanent_url else ""
            return f"{self.status}{moved}" if self.kind == "ok" else f"{self.status}: {self.error}"
        return self.error


@dataclass(frozen=True)
class Limits:
    connect_timeout: float
    read_timeout: float
    deadline: float
    max_bytes: int
    allow_private: bool
    # Which addresses may be connected to; None: public ones only, unless `allow_private` (then any).
    address_allowed: Callable[[str], bool] | None = None

    def allowed(self) -> Callable[[str], bool] | None:
        if self.address_allowed is not None:
            return self.address_allowed
        return None if self.allow_private else is_public

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(
            connect_timeout=settings.NEWSROOM_FEEDS_CONNECT_TIMEOUT,
            read_timeout=settings.NEWSROOM_FEEDS_READ_TIMEOUT,
            deadline=settings.NEWSROOM_FEEDS_DEADLINE_SECONDS,
            max_bytes=settings.NEWSROOM_FEEDS_MAX_BYTES,
            allow_private=settings.NEWSROOM_FEEDS_ALLOW_PRIVATE,
        )


def user_agent() -> str:
    """newsroom's User-Agent: its name, and the address where a publisher learns who polls them."""
    url = settings.NEWSROOM_FEEDS_USER_AGENT_URL
    return f"newsroom feed reader (+{url})" if url else "newsroom feed reader"


def fetch(url: str, *, etag: str = "", last_modified: str = "", limits: Limits | None = None) -> Fetched:
    """GET the feed at `url` (conditionally, with the validators of its last body); return what came of it."""
    limits = limits or Limits.from_settings()
    deadline = time.monotonic() + limits.deadline
    headers = {"User-Agent": user_agent(), "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    result = Fetched(url=url)
    try:
        with _client(limits, deadline) as client:
            return _follow(client, url, headers, limits, result)
    except httpx.TimeoutException as error:
        return _failed(result, "timeout", _timeout_reason(error, limits))
    except httpx.ConnectError as error:
        cause = error.__cause__ or error.__context__
        if isinstance(cause, AddressRefused):
            return _failed(result, "refused", str(cause))
        if _is_tls(error):
            return _failed(result, "tls", f"TLS failed: {_tls_reason(error)}")
        return _failed(result, "network", f"Could not connect: {error}")
    except httpx.TransportError as error:
        if _is_tls(error):
            return _failed(result, "tls", f"TLS failed: {_tls_reason(error)}")
        return _failed(result, "network", f"The connection failed: {type(error).__name__}: {error}")
    except httpx.InvalidURL as error:
        return _failed(result, "refused", f"The address is not a valid URL: {error}")


def guarded_client(limits: Limits, deadline: float) -> httpx.Client:
    """Return an httpx client that connects only where `limits` allows (`guard.py`), within `deadline`; webhook
    deliveries are sent through it too."""
    return _client(limits, deadline)


def _client(limits: Limits, deadline: float) -> httpx.Client:
    transport = httpx.HTTPTransport(verify=_tls_context(), trust_env=False)
    transport._pool = httpcore.ConnectionPool(  # httpx's own pool, with a network layer that checks addresses
        ssl_context=_tls_context(),
        network_backend=GuardedBackend(allowed=limits.allowed(), deadline=deadline),
        max_connections=1,
        retries=0,
    )
    timeout = httpx.Timeout(limits.read_timeout, connect=limits.connect_timeout)
    return httpx.Client(transport=transport, timeout=timeout, follow_redirects=False, trust_env=False)


@cache
def _tls_context() -> ssl.SSLContext:
    return ssl.create_default_context(cafile=certifi.where())


def _follow(client, url, headers, limits, result: Fetched) -> Fetched:
    seen, permanent = [url], True
    for _hop in range(MAX_REDIRECTS + 1):
        scheme = httpx.URL(url).scheme
        if scheme not in {"http", "https"}:
            return _failed(result, "refused", f"Only http and https feeds are fetched, not {scheme or 'this'}: {url}")
        with client.stream("GET", url, headers=headers) as response:
            result.status, result.final_url = response.status_code, url
            if response.status_code in REDIRECTS:
                location = response.headers.get("location")
                if not location:
                    return _failed(result, "http", f"A {response.status_code} redirect without a Location.")
                permanent = permanent and response.status_code in PERMANENT
                url = str(response.url.join(location))
                if url in seen:
                    return _failed(result, "redirects", f"A redirect loop: {' -> '.join([*seen, url])}")
                seen.append(url)
                if permanent:
                    result.permanent_url = url
                continue
            if not permanent:
                result.permanent_url = ""
            _hints(result, response)
            return _answer(result, response, limits)
    return _failed(result, "redirects", f"More than {MAX_REDIRECTS} redirects: {' -> '.join(seen)}")


def _answer(result: Fetched, response: httpx.Response, limits: Limits) -> Fetched:
    status = response.status_code
    if status == 304:
        result.kind = "not_modified"
        return result
    if status == 410:
        return _failed(result, "gone", "410 Gone: the server says this feed is gone for good.")
    if status >= 400 or status < 200:
        reason = response.reason_phrase or "error"
        wait = f" (retry after {result.retry_after:.0f} s)" if result.retry_after is not None else ""
        return _failed(result, "http", f"The server answered {status} {reason}{wait}.")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        return _failed(result, "too_large", _too_large(limits, f"it declares {int(declared):,} bytes"))
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > limits.max_bytes:
            return _failed(result, "too_large", _too_large(limits, "it went on past the limit"))
    result.body = bytes(body)
    result.etag = response.headers.get("etag", "")
    result.last_modified = response.headers.get("last-modified", "")
    result.content_type = response.headers.get("content-type", "")
    return result


def _hints(result: Fetched, response: httpx.Response) -> None:
    result.retry_after = parse_retry_after(response.headers.get("retry-after", ""))
    found = MAX_AGE.search(response.headers.get("cache-control", ""))
    result.max_age = float(found.group(1)) if found else None


def parse_retry_after(value: str, now: datetime | None = None) -> float | None:
    """Return the seconds a `Retry-After` asks for (a number of seconds, or an HTTP date), or None."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _failed(result: Fetched, kind: str, error: str) -> Fetched:
    result.kind, result.error, result.body = kind, error, None
    return result


def _too_large(limits: Limits, how: str) -> str:
    return f"The feed is larger than the limit of {limits.max_bytes:,} bytes (NEWSROOM_FEEDS_MAX_BYTES): {how}."


def _timeout_reason(error: Exception, limits: Limits) -> str:
    if isinstance(error, httpx.ConnectTimeout):
        return f"The server did not accept a connection within {limits.connect_timeout:g} s."
    if "deadline" in str(error):
        return f"The server had not finished answering after {limits.deadline:g} s (the fetch's deadline)."
    return f"The server sent nothing for {limits.read_timeout:g} s."


def _is_tls(error: Exception) -> bool:
    seen = error
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return True
        seen = seen.__cause__ or seen.__context__
    return "SSL" in str(error) or "certificate" in str(error).lower()


def _tls_reason(error: Exception) -> str:
    seen = error
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return f"the certificate could not be verified ({seen.verify_message})"
        seen = seen.__cause__ or seen.__context__
    return str(error)
