"""Counts on the desk's lists: the rows articles refer to (authors, sources, topics), each with its number of
articles, and the article list's status counts ("All (n) | Draft (n) | ...")."""

from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.options import ShowFacets
from django.db.models import Count

from articles.models import Article

STATUS_PARAMETER = "status__exact"


class CountedAdmin(admin.ModelAdmin):
    """A list of rows with how many articles each has, counted in the same query as the rows."""

    show_full_result_count = False
    show_facets = ShowFacets.NEVER

    def get_queryset(self, request):
        return super().get_queryset(request).with_article_counts()

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, obj):
        return obj.article_count


def status_counts(request=None) -> dict[str, int]:
    """Return how many articles there are in each status, in one grouped query (served by the status index).

    With `request`, counted once per request: the status links and the status filter show the same numbers."""
    cached = getattr(request, "_article_status_counts", None)
    if cached is not None:
        return cached
    found = dict(Article.objects.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    counts = {status: found.get(status, 0) for status in Article.Status.values}
    if request is not None:
        request._article_status_counts = counts
    return counts


def grouped_counts(queryset, field: str) -> dict:
    """Return how many of `queryset` there are for each value of `field`, in one GROUP BY."""
    return dict(queryset.order_by().values_list(field).annotate(n=Count("pk")).values_list(field, "n"))


def counted(label: str, number: int | None) -> str:
    """Return a filter choice's label with its count, as the sidebar shows it: "Draft (12)"."""
    return label if number is None else f"{label} ({number:,})"


def status_links(request) -> list[dict]:
    """Return the article list's status links, WordPress's way: all articles, then each status with its count, the
    one shown marked current. The other filters and the search are kept; the counts are of the whole table."""
    counts = status_counts(request)
    kept = {key: value for key, value in request.GET.items() if key not in (STATUS_PARAMETER, "p")}
    chosen = request.GET.get(STATUS_PARAMETER, "")
    links = [{"label": "All", "count": sum(counts.values()), "query": urlencode(kept), "current": not chosen}]
    for status, label in Article.Status.choices:
        query = urlencode({**kept, STATUS_PARAMETER: status})
        links.append({"label": label, "count": counts[status], "query": query, "current": chosen == status})
    return links
