"""Durations as editors type them: `90s`, `15m`, `2h`, `1d`, or several together (`1h30m`)."""

import re
from datetime import timedelta

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
PART = re.compile(r"(\d+)\s*([smhd])")
WHOLE = re.compile(r"(?:\d+\s*[smhd]\s*)+")
SHORTEST_POLL = timedelta(seconds=10)


def parse_duration(text: str) -> timedelta:
    """Return the duration `text` says; ValueError with the accepted forms for anything else."""
    cleaned = text.strip().lower()
    if not cleaned or not WHOLE.fullmatch(cleaned):
        raise ValueError(
            f"{text!r} is not a duration: give a number and a unit, s, m, h or d (90s, 15m, 2h, 1d, 1h30m)."
        )
    return timedelta(seconds=sum(int(number) * UNITS[unit] for number, unit in PART.findall(cleaned)))


def parse_poll_interval(text: str) -> timedelta:
    """Return the poll interval `text` says, refusing one shorter than SHORTEST_POLL (polite to publishers)."""
    interval = parse_duration(text)
    if interval < SHORTEST_POLL:
        raise ValueError(f"A feed is polled at most every {describe(SHORTEST_POLL)}, not every {describe(interval)}.")
    return interval


def describe(duration: timedelta) -> str:
    """Return `duration` the way it is typed (`1h30m`), to the second."""
    seconds = int(duration.total_seconds())
    parts = []
    for unit, size in sorted(UNITS.items(), key=lambda item: -item[1]):
        if seconds >= size:
            parts.append(f"{seconds // size}{unit}")
            seconds %= size
    return "".join(parts) or "0s"
