"""The author admin: bylines' names with their kind and number of articles; duplicates merged into one."""

from articles.admin import actions
from articles.admin.counts import CountedAdmin


class AuthorAdmin(CountedAdmin):
    ordering = ["name"]
    list_display = ["name", "kind", "article_count"]
    list_filter = ["kind"]
    search_fields = ["name"]
    readonly_fields = ["name_key"]
    actions = [actions.merge_into]
