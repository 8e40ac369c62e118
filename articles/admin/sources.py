"""The source admin: the outlets, agencies and aggregators pieces come from."""

from articles.admin.counts import CountedAdmin


class SourceAdmin(CountedAdmin):
    ordering = ["name"]
    list_display = ["name", "kind", "homepage_url", "article_count"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
