"""The desk's home page: what came in today and over the last 7 and 30 days, and what waits for an editor.

Every number is read from the daily import tallies (`ImportTally`, kept by the import pipeline), never by counting
import records, so the page costs the same handful of queries at any size of history: four sums over thirty days
of tallies (by day, by source, by feed, by day and source), one each for the names of their sources and feeds, and
one each for the review queue (three: its count, its first articles, the "possibly the same story" candidates),
failing feeds and the editor's recent edits. Copies joined to stories are a measure of the tallies (`joined`: a
created article whose story already had one, counted when its import run ends).
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from articles.admin import charts
from articles.models import Article, Feed, ImportTally, Source
from articles.stories.models import StoryCandidate

PERIODS = (("today", "Today", 1), ("week", "Last 7 days", 7), ("month", "Last 30 days", 30))
MEASURES = (
    ("in", "Pieces in"),
    ("created", "Created"),
    ("updated", "Updated"),
    ("duplicate", "Duplicates"),
    ("joined", "Copies joined to stories"),
    ("failed", "Failed"),
    ("warned", "With warnings"),
)
OUTCOMES = ("created", "updated", "unchanged", "duplicate", "conflict", "failed", "ignored")
LIST_LENGTH = 10
# The by-source and by-feed tables show the most active rows only: a desk reads the top of them, and a newsroom
# with thousands of sources would otherwise render thousands of rows on its home page. The rest are counted.
TABLE_LENGTH = 25
REPAIR = "repair:"


@dataclass
class Totals:
    """The counts of one period (or one source, one feed), by measure; `in` is every piece, whatever its fate."""

    counts: Counter = field(default_factory=Counter)

    def add(self, measure: str, number: int) -> None:
        self.counts[measure] += number
        if measure in OUTCOMES:
            self.counts["in"] += number

    def row(self) -> list[int]:
        return [self.counts[key] for key, _ in MEASURES]


def build_dashboard(user, *, today: datetime.date | None = None) -> dict:
    """Return everything the home page shows for `user`, in a constant number of queries."""
    today = today or timezone.localdate()
    first_day = today - datetime.timedelta(days=PERIODS[-1][2] - 1)
    tallies = ImportTally.objects.since(first_day).order_by()
    periods = {key: Totals() for key, _, _ in PERIODS}
    per_day, repairs = defaultdict(Totals), Counter()
    for day, measure, number in _summed(tallies, "day", "measure"):
        if measure.startswith(REPAIR):
            repairs[measure.removeprefix(REPAIR)] += number
            continue
        per_day[day].add(measure, number)
        for key, _, days in PERIODS:
            if (today - day).days < days:
                periods[key].add(measure, number)
    pieces = tallies.exclude(measure__startswith=REPAIR)
    by_source, by_feed = defaultdict(Totals), defaultdict(Totals)
    for source_pk, measure, number in _summed(pieces, "source_pk", "measure"):
        by_source[source_pk].add(measure, number)
    for feed_pk, measure, number in _summed(pieces.exclude(feed_pk=0), "feed_pk", "measure"):
        by_feed[feed_pk].add(measure, number)
    per_day_source = defaultdict(Counter)
    for day, source_pk, number in _summed(pieces.filter(measure__in=OUTCOMES), "day", "source_pk"):
        per_day_source[day][source_pk] += number
    source_names = _names(Source.objects.filter(pk__in=by_source).values_list("pk", "name"))
    feed_names = _names(Feed.objects.filter(pk__in=by_feed).values_list("pk", "title", "url"))
    days = [first_day + datetime.timedelta(days=n) for n in range(PERIODS[-1][2])]
    return {
        "measures": [label for _, label in MEASURES],
        "periods": [(label, periods[key].row()) for key, label, _ in PERIODS],
        "sources": _ranked(by_source, lambda pk: source_names.get(pk, "No source")),
        "sources_more": max(0, len(by_source) - TABLE_LENGTH),
        "feeds": _ranked(by_feed, lambda pk: feed_names.get(pk, f"Feed {pk}"), link="articles_feed_change"),
        "feeds_more": max(0, len(by_feed) - TABLE_LENGTH),
        "repairs": repairs.most_common(),
        "charts": {
            "pieces": charts.stacked_bars(
                days, {day: per_day_source[day] for day in days}, lambda pk: source_names.get(pk, "No source")
            ),
            "rates": charts.rate_lines(days, {day: per_day[day].counts for day in days}),
            "repairs": charts.horizontal_bars(repairs.most_common(12)),
        },
        "review": _review_queue(),
        "failing_feeds": list(
            Feed.objects.filter(consecutive_errors__gt=0).order_by("-consecutive_errors")[:LIST_LENGTH]
        ),
        "my_edits": _recent_edits(user),
        "first_day": first_day,
        "today": today,
    }


def _summed(tallies, *keys):
    """Return the tallies' counts added up by `keys`, in the database: one row per combination."""
    return tallies.values_list(*keys).annotate(number=Sum("count")).values_list(*keys, "number")


def _names(rows) -> dict[int, str]:
    return {pk: next((name for name in names if name), str(pk)) for pk, *names in rows}


def _ranked(totals: dict, name_of, link: str = "") -> list[dict]:
    """Return the TABLE_LENGTH rows with the most pieces in, most first (then by name)."""
    ranked = sorted(totals.items(), key=lambda item: (-item[1].counts["in"], name_of(item[0])))[:TABLE_LENGTH]
    return [{"pk": pk, "name": name_of(pk), "row": total.row(), "link": link} for pk, total in ranked]


def _review_queue() -> dict:
    in_review = Article.objects.filter(status=Article.Status.REVIEW)
    pending = StoryCandidate.objects.filter(status=StoryCandidate.Status.PENDING)  # the story_candidate_queue index
    return {
        "count": in_review.aggregate(n=Count("pk"))["n"],
        "articles": list(in_review.select_related("source").order_by("-updated_at", "-id")[:LIST_LENGTH]),
        "candidates": pending.aggregate(n=Count("pk"))["n"],
        "candidates_url": _candidates_url(),
    }


def _candidates_url() -> str | None:
    """Return the admin list of pending story candidates, once the candidates have an admin; else None."""
    try:
        url = reverse("admin:articles_storycandidate_changelist")
    except NoReverseMatch:
        return None
    return f"{url}?status__exact={StoryCandidate.Status.PENDING}"


def _recent_edits(user) -> list:
    """Return the user's last saved versions of articles (the history's rows), newest first."""
    history = Article.history.filter(Q(history_user=user)).order_by("-history_date", "-history_id")
    return list(history.only("id", "title", "history_date", "history_type", "status", "revision")[:LIST_LENGTH])
