"""The dashboard's charts, drawn on the server as inline SVG.

No chart library and no script: the page arrives with its charts drawn, works without JavaScript, costs nothing to
load, and takes its colours from the admin's own CSS variables (`--body-fg`, `--hairline-color`...) through the
classes in `admin.css`, so it follows the admin's light and dark themes. Each chart has a title and a description
for screen readers, and each bar or point a `<title>` shown on hover.
"""

import datetime
from collections import Counter

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 720, 220
LEFT, BOTTOM, TOP = 44, 24, 8
SERIES = 6  # the busiest sources get a colour each, the rest share the last one


def stacked_bars(days: list[datetime.date], per_day: dict, name_of) -> SafeString:
    """Return a chart of pieces in per day, stacked by source (the busiest five, then every other one)."""
    totals = Counter()
    for counts in per_day.values():
        totals.update(counts)
    leaders = [pk for pk, _ in totals.most_common(SERIES - 1)]
    names = [name_of(pk) for pk in leaders] + (["Other sources"] if len(totals) > len(leaders) else [])
    peak = max((sum(per_day[day].values()) for day in days), default=0) or 1
    step = (WIDTH - LEFT) / len(days)
    bars = []
    for index, day in enumerate(days):
        counts = per_day[day]
        parts = [counts[pk] for pk in leaders] + [sum(counts.values()) - sum(counts[pk] for pk in leaders)]
        base = HEIGHT - BOTTOM
        for series, number in enumerate(parts):
            if not number:
                continue
            height = number / peak * (HEIGHT - BOTTOM - TOP)
            base -= height
            label = names[series] if series < len(names) else "Other sources"
            bars.append(
                _tag(
                    '<rect class="chart-series-{}" x="{}" y="{}" width="{}" height="{}">'
                    "<title>{}: {} from {}</title></rect>",
                    series,
                    LEFT + index * step + 1,
                    base,
                    max(step - 2, 1),
                    height,
                    day.isoformat(),
                    number,
                    label,
                )
            )
    legend = _legend(names)
    return _svg("Pieces in per day by source", _summary(days, per_day), _axes(days, peak, ""), bars, legend)


def rate_lines(days: list[datetime.date], per_day: dict) -> SafeString:
    """Return a chart of the share of each day's pieces that failed and that were duplicates, in per cent."""
    lines, rates = [], {"failed": [], "duplicate": []}
    for day in days:
        counts = per_day[day]
        total = counts["in"]
        for measure in rates:
            rates[measure].append(100 * counts[measure] / total if total else None)
    peak = max((rate for values in rates.values() for rate in values if rate is not None), default=0)
    peak = max(10, -(-peak // 10) * 10)
    step = (WIDTH - LEFT) / len(days)
    for series, (measure, values) in enumerate(rates.items()):
        points = [
            (LEFT + (index + 0.5) * step, HEIGHT - BOTTOM - rate / peak * (HEIGHT - BOTTOM - TOP), days[index], rate)
            for index, rate in enumerate(values)
            if rate is not None
        ]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in points)
        lines.append(_tag('<polyline class="chart-line chart-line-{}" points="{}"/>', series, path))
        lines.append(
            _tag_join(
                '<circle class="chart-dot chart-line-{}" cx="{}" cy="{}" r="3"><title>{}: {}% {}</title></circle>',
                ((series, x, y, day.isoformat(), rate, measure) for x, y, day, rate in points),
            )
        )
    description = "Share of pieces that failed and that were duplicates of a stored article, per day."
    legend = _legend(["Failed", "Duplicates"], kind="line")
    return _svg("Failure and duplicate rates", description, _axes(days, peak, "%"), lines, legend)


def horizontal_bars(items: list[tuple[str, int]]) -> SafeString:
    """Return a chart of the cleaner's repairs by rule over the period, the most used first."""
    if not items:
        return _svg("Repairs by rule", "No repairs in the period.", [], [], mark_safe(""), height=40)
    row, label_width = 22, 190
    height = row * len(items) + 8
    peak = items[0][1] or 1
    bars = []
    for index, (rule, number) in enumerate(items):
        y = index * row + 4
        width = number / peak * (WIDTH - label_width - 60)
        bars.append(
            _tag(
                '<text class="chart-label" x="{}" y="{}" text-anchor="end">{}</text>'
                '<rect class="chart-series-0" x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title></rect>'
                '<text class="chart-label" x="{}" y="{}">{}</text>',
                label_width - 6,
                y + 14,
                rule,
                label_width,
                y + 2,
                max(width, 1),
                row - 6,
                rule,
                number,
                label_width + width + 6,
                y + 14,
                number,
            )
        )
    description = ", ".join(f"{rule}: {number}" for rule, number in items)
    return _svg("Repairs by rule", description, [], bars, mark_safe(""), height=height)


def _summary(days, per_day) -> str:
    total = sum(sum(per_day[day].values()) for day in days)
    return f"{total} pieces in from {days[0].isoformat()} to {days[-1].isoformat()}."


def _axes(days, peak, unit) -> list[SafeString]:
    """Return the grid lines with their values, and a date under every seventh day counted back from today."""
    parts = []
    for fraction in (0, 0.5, 1):
        y = HEIGHT - BOTTOM - fraction * (HEIGHT - BOTTOM - TOP)
        value = peak * fraction
        shown = f"{value:.0f}{unit}" if value >= 10 or value == 0 else f"{value:.1f}{unit}"
        parts.append(
            _tag(
                '<line class="chart-grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
                '<text class="chart-label" x="{}" y="{}" text-anchor="end">{}</text>',
                LEFT,
                WIDTH,
                y,
                y,
                LEFT - 4,
                y + 4,
                shown,
            )
        )
    step = (WIDTH - LEFT) / len(days)
    for index in range(len(days) - 1, -1, -7):
        parts.append(
            _tag(
                '<text class="chart-label" x="{}" y="{}" text-anchor="middle">{}</text>',
                LEFT + (index + 0.5) * step,
                HEIGHT - 6,
                days[index].strftime("%d %b"),
            )
        )
    return parts


def _legend(names: list[str], kind: str = "bar") -> SafeString:
    swatch = "chart-series" if kind == "bar" else "chart-line-swatch chart-line"
    return format_html(
        '<ul class="chart-legend">{}</ul>',
        format_html_join(
            "",
            '<li><span class="chart-swatch {}-{}" aria-hidden="true"></span>{}</li>',
            ((swatch, n, name) for n, name in enumerate(names)),
        ),
    )


def _svg(title, description, axes, marks, legend, *, height=HEIGHT) -> SafeString:
    return format_html(
        '<figure class="desk-chart"><svg viewBox="0 0 {} {}" role="img" aria-label="{}" preserveAspectRatio="none">'
        "<title>{}</title><desc>{}</desc>{}{}</svg>{}</figure>",
        WIDTH,
        height,
        title,
        title,
        description,
        _joined(axes),
        _joined(marks),
        legend,
    )


def _joined(parts: list[SafeString]) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))


def _tag(template: str, *args) -> SafeString:
    """Return `format_html(template, *args)` with each float given to one decimal (coordinates, rates)."""
    return format_html(template, *(f"{arg:.1f}" if isinstance(arg, float) else arg for arg in args))


def _tag_join(template: str, rows) -> SafeString:
    return _joined([_tag(template, *row) for row in rows])
