"""The import log: every run of the importer and every piece it was given, readable by the desk, never edited."""

from django.contrib import admin
from django.utils.html import format_html

from articles.admin.changelists import CalendarBoundChangeList


class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["__str__", "channel", "status", "initiated_by", "started_at", "finished_at", "counts"]
    list_filter = ["status", "channel", "feed"]
    list_select_related = ["initiated_by"]
    date_hierarchy = "started_at"
    show_full_result_count = False

    def get_changelist(self, request, **kwargs):
        return CalendarBoundChangeList

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ImportRecordAdmin(admin.ModelAdmin):
    """Import records are evidence: readable by the desk, never edited."""

    list_display = ["origin", "outcome", "article", "warning_count", "created_at"]
    list_filter = ["outcome", "batch__channel", "batch__feed"]
    list_select_related = ["article"]
    search_fields = ["origin", "raw_sha256"]
    show_full_result_count = False
    fields = [
        "batch",
        "article",
        "origin",
        "outcome",
        "error",
        "encoding",
        "raw_size",
        "raw_sha256",
        "created_at",
        "warnings",
        "edits",
        "raw_text",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="warnings")
    def warning_count(self, record):
        return len(record.warnings or [])

    @admin.display(description="raw text, exactly as it arrived")
    def raw_text(self, record):
        return format_html('<pre class="raw-text">{}</pre>', record.raw_text)
