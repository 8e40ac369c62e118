"""The desk's lists, built so that a page costs the same at 100,000 articles as at 100: paging without COUNT(*), the
full-text search box, the date drill-down from the table's first and last dates, and topics listed as a tree.

One figure about the whole article table, its publication span, reads every row; it is cached here, in the default
cache, for a few minutes (`table_figure`).
"""

import calendar
import datetime

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ORDER_VAR, ChangeList
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.text import capfirst

from articles.admin.forms import ArticleSearchForm
from articles.ids import parse_id
from articles.models import Article, Byline, ImportRecord, Topic

RANKED_MATCHES_MAX = 1_000
TABLE_FIGURE_SECONDS = 300
_MISSING = object()


class CappedCountPaginator(Paginator):
    """Count at most `cap` rows: exact for the small result sets editors page through, and cheap at any size.

    A full COUNT(*) reads the whole table on every page view; counting a LIMITed subquery stops at the cap.
    """

    cap = 10_000

    @cached_property
    def count(self):
        return min(self.object_list.order_by().values("pk")[: self.cap + 1].count(), self.cap)

    @property
    def is_capped(self):
        return self.count >= self.cap


class CalendarBoundChangeList(ChangeList):
    """Django's change list, with a date drill-down past the calendar (a year of 20 digits, the day after
    9999-12-31) answered as an invalid filter, like any other, rather than a crash: Django reads such dates without
    catching the overflow."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error


class ArticleChangeList(CalendarBoundChangeList):
    """The article list.

    The long text columns are left out of the row query (sorting them is what makes a list slow), bylines come in one
    query, the warnings flag is looked up for the page's rows only, and search results come best first.
    """

    search_form_class = ArticleSearchForm

    def get_queryset(self, request, exclude_parameters=None):
        bylines = Byline.objects.select_related("author").order_by("position")
        return (
            super()
            .get_queryset(request, exclude_parameters)
            .defer("body", "summary")
            .prefetch_related(Prefetch("bylines", queryset=bylines))
        )

    def get_ordering(self, request, queryset):
        search = queryset.full_text
        if ORDER_VAR not in self.params and search is not None and search.ranked:
            return ["-rank", "-pk"]
        return super().get_ordering(request, queryset)

    def get_results(self, request):
        super().get_results(request)
        self.result_list = list(self.result_list)
        ids = [article.pk for article in self.result_list]
        records = ImportRecord.objects.with_warnings().filter(article__in=ids)  # the page's rows, by the article index
        warned = set(records.values_list("article_id", flat=True))
        search = self.queryset.full_text  # set by apply_search, None for `#123`
        snippets = search.snippets(ids) if search is not None else {}
        outlets = _story_outlets(self.result_list) if request.GET.get("stories") == "one" else {}
        for article in self.result_list:
            article.has_warnings = article.pk in warned
            article.snippet = snippets.get(article.pk) or ""
            article.story_outlets = outlets.get(article.story_id, [])

    @cached_property
    def date_links(self) -> dict:
        """Return the date drill-down links, built from the table's first and last publication dates.

        Django's own drill-down asks the database, on every page view, for the distinct years (months, days) of the
        filtered rows: a pass over the whole table at 100,000 articles. The periods between the first and last
        publication (cached for a few minutes) are offered instead; a period can turn out empty under a filter.
        """
        span = publication_span()
        if span is None:
            return {"show": False}
        field = self.date_hierarchy
        year, month, day = (self.params.get(f"{field}__{part}") for part in ("year", "month", "day"))

        def link(**parts):
            return self.get_query_string({f"{field}__{part}": value for part, value in parts.items()}, [f"{field}__"])

        if year and month and day:
            chosen = datetime.date(int(year), int(month), int(day))
            back = {"link": link(year=year, month=month), "title": capfirst(date_format(chosen, "YEAR_MONTH_FORMAT"))}
            choices = [{"title": capfirst(date_format(chosen, "MONTH_DAY_FORMAT"))}]
            return {"show": True, "back": back, "choices": choices}
        if year and month:
            days = calendar.monthrange(int(year), int(month))[1]
            choices = [
                {
                    "link": link(year=year, month=month, day=number),
                    "title": capfirst(date_format(datetime.date(int(year), int(month), number), "MONTH_DAY_FORMAT")),
                }
                for number in range(1, days + 1)
            ]
            return {"show": True, "back": {"link": link(year=year), "title": str(year)}, "choices": choices}
        first, last = span
        if year:
            low = first.month if int(year) == first.year else 1
            high = last.month if int(year) == last.year else 12
            choices = [
                {
                    "link": link(year=year, month=number),
                    "title": capfirst(date_format(datetime.date(int(year), number, 1), "YEAR_MONTH_FORMAT")),
                }
                for number in range(low, high + 1)
            ]
            return {"show": True, "back": {"link": link(), "title": "All dates"}, "choices": choices}
        years = range(first.year, last.year + 1)
        return {
            "show": True,
            "back": None,
            "choices": [{"link": link(year=str(number)), "title": str(number)} for number in years],
        }


def _story_outlets(articles) -> dict[int, list[str]]:
    """Return the outlets of the stories of these articles (one query)."""
    from articles.admin.stories import outlets_of

    return outlets_of({article.story_id for article in articles})


class TopicChangeList(ChangeList):
    """Topics listed as a tree (each under its parent, indented), unless the editor sorts by a column."""

    def get_results(self, request):
        super().get_results(request)
        tree = Topic.objects.tree()
        topics = list(self.result_list)
        for topic in topics:
            topic.tree_depth = tree[topic.pk]["depth"]
        if ORDER_VAR not in self.params:
            topics.sort(key=lambda topic: tree[topic.pk]["path"])
        self.result_list = topics


def apply_search(queryset, text: str):
    """Narrow `queryset` to the articles matching `text` (full text, or `#123` for one article).

    Up to RANKED_MATCHES_MAX matches come with their rank (best first); ranking scores every match, which for a
    word found in a quarter of 100,000 articles takes seconds, so beyond that the matches keep the list's own
    order (newest changes first). Snippets are left out here: each costs a pass over an article's text, so the
    change list fetches them for the rows of the page it shows (ArticleChangeList.get_results).
    """
    text = text.strip()
    if not text:
        return queryset
    number = text.lstrip("#")
    if number.isascii() and number.isdigit():  # an article number; `²` and the like are searched as words
        pk = parse_id(number)
        return queryset.filter(pk=pk) if pk is not None else queryset.none()
    matches = queryset.search(text, ranked=False)
    if matches.order_by().values("pk")[: RANKED_MATCHES_MAX + 1].count() > RANKED_MATCHES_MAX:
        return matches
    return queryset.search(text, snippets=False)


def table_figure(name: str, compute):
    """Return a figure about the whole article table from the cache, computing and keeping it for a few minutes."""
    key = f"newsroom:admin:{name}"
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, TABLE_FIGURE_SECONDS)
    return value


def publication_span() -> tuple[datetime.datetime, datetime.datetime] | None:
    """Return the first and last publication times of all articles, in local time (cached)."""
    span = table_figure("publication-span", Article.objects.publication_span)
    return tuple(timezone.localtime(moment) for moment in span) if span else None
