"""The lists of the rows articles refer to (authors, sources, topics), each row with its number of articles."""

from django.contrib import admin
from django.contrib.admin.options import ShowFacets


class CountedAdmin(admin.ModelAdmin):
    """A list of rows with how many articles each has, counted in the same query as the rows."""

    show_full_result_count = False
    show_facets = ShowFacets.NEVER

    def get_queryset(self, request):
        return super().get_queryset(request).with_article_counts()

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, obj):
        return obj.article_count
