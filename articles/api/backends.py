"""`?search=`: the API's one handling of full-text search, as a filter backend (as DRF's `SearchFilter` is).

It narrows the list to `queryset.search(text)`, the same queryset method the admin calls, and leaves the search on
the queryset it returns (`full_text`): the paginator counts the matches up to a limit and, when they are listed
best first, pages them as a bounded ranked window; the view attaches the page's ranks and snippets.
"""

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
