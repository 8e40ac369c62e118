"""`?search=`: the API's one handling of full-text search, as a filter backend (as DRF's `SearchFilter` is).

It narrows the list to `queryset.search(text)`, the same queryset method the admin calls, and leaves the search on
the queryset it returns (`full_text`): the paginator counts the matches up to a limit and, when they are listed
best first, pages them as a bounded ranked window; the view attaches the page's ranks and snippets.
"""

from django.db.models import F, Min, Q
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend

SEARCH_PARAM = "search"
SEARCH_MAX_CHARS = 200  # the full-text query grows with every word: as the desk's search box


def best_match_first(request) -> bool:
    """Return whether a search's results go best match first: on page-number pages without another ordering."""
    params = request.query_params
    cursor_pages = params.get("pagination") == "cursor" or "cursor" in params
    return not cursor_pages and params.get("ordering") in (None, "", "relevance")


class FullTextSearchBackend(BaseFilterBackend):
    """Narrow a list to the articles matching `?search=`, ranked when they are listed best first.

    Run after the filter set, so that the filters and the ordering are already on the queryset the search ranks.
    """

    def filter_queryset(self, request, queryset, view):
        text = request.query_params.get(SEARCH_PARAM, "")
        if len(text) > SEARCH_MAX_CHARS:
            raise ValidationError({SEARCH_PARAM: [f"At most {SEARCH_MAX_CHARS} characters (this has {len(text):,})."]})
        if not text.strip():
            return queryset
        return queryset.search(text, ranked=best_match_first(request), snippets=False)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": SEARCH_PARAM,
                "in": "query",
                "required": False,
                "schema": {"type": "string", "maxLength": SEARCH_MAX_CHARS},
                "description": (
                    "Full-text search over title, summary and body; results carry `rank` and a highlighted "
                    "`snippet`. Words must all occur; `OR` between two terms finds either, `-word` excludes, "
                    '`"a phrase"` finds words in sequence, `harb*` words that start so (see the README).'
                ),
            }
        ]


COLLAPSE_PARAM = "collapse"


def one_per_story(queryset):
    """Return one article of each story among `queryset`: its lead when the lead is among them (it matched the
    filters and the search), else the earliest-stored of its articles that are. Two subqueries over the same rows,
    so it pages, counts and ranks as any list does, on SQLite and PostgreSQL."""
    among = queryset.order_by().values("pk")
    model = queryset.model
    firsts = (
        model.objects.filter(pk__in=among)
        .exclude(story__lead_id__in=among)
        .order_by()
        .values("story_id")
        .annotate(first=Min("pk"))
        .values("first")
    )
    return queryset.filter(Q(story__lead_id=F("pk")) | Q(pk__in=firsts))


class StoryCollapseBackend(BaseFilterBackend):
    """`?collapse=story`: one article per story (`one_per_story`), after the filters and the search."""

    def filter_queryset(self, request, queryset, view):
        value = request.query_params.get(COLLAPSE_PARAM, "")
        if not value:
            return queryset
        if value != "story":
            raise ValidationError({COLLAPSE_PARAM: ["The one collapse there is: `story`."]})
        return one_per_story(queryset)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": COLLAPSE_PARAM,
                "in": "query",
                "required": False,
                "schema": {"type": "string", "enum": ["story"]},
                "description": (
                    "`story`: one article per story (the copies of one piece from many outlets): its lead, or, "
                    "when the lead does not match the filters or the search, the earliest of its articles that does."
                ),
            }
        ]
