"""When a feed is polled next: its interval when all goes well (longer if the server asks, by `Cache-Control:
max-age` or `Retry-After`), exponentially later after each consecutive error, and never later than the ceiling, so
a failing feed is retried for ever, and its errors shown, rather than dropped silently."""

from datetime import datetime, timedelta

BACKOFF_CEILING = timedelta(hours=48)
# Backoff starts from the poll interval, but from no less than this: a feed polled every 10 s that fails is not
# hammered every 20 s.
BACKOFF_FLOOR = timedelta(minutes=1)


def after_success(now: datetime, interval: timedelta, *, max_age: float | None = None) -> datetime:
    """The next check after a poll that worked: the interval, or the server's max-age if longer (up to the
    ceiling)."""
    wait = interval
    if max_age is not None:
        wait = max(wait, min(timedelta(seconds=max_age), BACKOFF_CEILING))
    return now + wait


def backoff(interval: timedelta, errors: int) -> timedelta:
    """The wait after `errors` consecutive failed polls: doubling from the interval, up to the ceiling."""
    base = max(interval, BACKOFF_FLOOR)
    exponent = min(max(errors - 1, 0), 32)  # 2**32 intervals is past any ceiling; no overflow
    return min(base * (2**exponent), BACKOFF_CEILING)


def after_error(now: datetime, interval: timedelta, errors: int, *, retry_after: float | None = None) -> datetime:
    """The next check after the `errors`-th consecutive failed poll; a server's Retry-After, if longer, wins (up to
    the ceiling)."""
    wait = backoff(interval, errors)
    if retry_after is not None:
        wait = max(wait, min(timedelta(seconds=retry_after), BACKOFF_CEILING))
    return now + wait
