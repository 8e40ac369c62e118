"""The filter backend: django-filter's, skipped when a request names none of the resource's filters.

Building a FilterSet builds a form with a field per filter (querysets for the slug choices included); the plain,
unfiltered list is the most requested page of the API and needs none of it.
"""

from django_filters.rest_framework import DjangoFilterBackend


class FilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is not None and not set(request.query_params) & set(filterset_class.base_filters):
            return queryset
        return super().filter_queryset(request, queryset, view)
