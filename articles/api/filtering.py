"""The filter backend, and the refusal of query parameters a list does not know.

django-filter's backend is skipped when a request names none of the resource's filters: building a FilterSet builds a
form with a field per filter, and the plain, unfiltered list is the most requested page of the API and needs none
of it.

A list answers a parameter it does not know with a 400 that names it, rather than ignoring it: a client's typo, or
a parameter of another API (WordPress's `per_page`, `orderby`), would otherwise look like a filter that matched
everything. A list knows its filters, its search, its pagination's parameters, the parameters its view declares
(`list_parameters`, e.g. `fields`) and `format`: exactly what the schema documents for it.
"""

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

ALWAYS_ACCEPTED = {"format"}
# Parameters of other APIs, and what to send here instead.
ELSEWHERE = {
    "per_page": "use `page_size` or `limit`",
    "orderby": "use `ordering`",
    "order": "use `ordering` (`-` first for descending)",
    "q": "use `search`",
    "filter": "use the filters by name (see /api/docs/)",
}


class FilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is not None and not set(request.query_params) & set(filterset_class.base_filters):
            return queryset
        return super().filter_queryset(request, queryset, view)


_accepted: dict = {}


def accepted_parameters(view) -> set[str]:
    """Return the query parameters `view`'s list accepts (worked out once per view class)."""
    key = type(view)
    if key not in _accepted:
        names = set(ALWAYS_ACCEPTED) | set(getattr(view, "list_parameters", ()))
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is not None:
            names |= set(filterset_class.base_filters)
        for backend in getattr(view, "filter_backends", []):
            if not issubclass(backend, DjangoFilterBackend):
                names |= {parameter["name"] for parameter in backend().get_schema_operation_parameters(view)}
        paginator = getattr(view, "paginator", None)
        if paginator is not None:
            names |= {parameter["name"] for parameter in paginator.get_schema_operation_parameters(view)}
        _accepted[key] = names
    return _accepted[key]


def refuse_unknown_parameters(request, accepted) -> None:
    """Answer a 400 naming each query parameter not in `accepted` (with a hint for other APIs' parameters)."""
    unknown = sorted(set(request.query_params) - set(accepted))
    if unknown:
        raise ValidationError(
            {
                name[:100]: [
                    "Not a parameter of this list"
                    + (f": {ELSEWHERE[name]}." if name in ELSEWHERE else "; see /api/docs/ for the ones it takes.")
                ]
                for name in unknown[:20]
            }
        )


class KnownParametersMixin:
    """Refuse (400) a list request with a query parameter the list does not take."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if getattr(self, "action", None) == "list":
            refuse_unknown_parameters(request, accepted_parameters(self))
