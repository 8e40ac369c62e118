"""The import log: every run of the importer and every piece it was given, readable by the desk, never edited."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from articles.admin.actions import retry_imports
from articles.admin.changelists import CalendarBoundChangeList


class ImportBatchAdmin(admin.ModelAdmin):
    """The import runs. Editors read them all; whoever queued an import follows its batch's page (and only it)."""

    list_display = ["__str__", "channel", "status", "pieces", "initiated_by", "started_at", "finished_at", "counts"]
    list_filter = ["status", "channel"]
    list_select_related = ["initiated_by"]
    date_hierarchy = "started_at"
    show_full_result_count = False
    fields = [
        "progress",
        "channel",
        "initiated_by",
        "started_at",
        "finished_at",
        "outcomes",
        "attempts",
        "error",
        "records",
        "options",
    ]
    readonly_fields = fields
    actions = [retry_imports]

    def get_changelist(self, request, **kwargs):
        return CalendarBoundChangeList

    def has_retry_permission(self, request):
        """Retrying runs an import again: for those who read the import log and may import."""
        return request.user.has_perms(["articles.view_importbatch", "articles.add_article"])

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user).with_progress()

    def get_fields(self, request, obj=None):
        """Leave the link to the import records (raw text) out for those who may not read them."""
        fields = super().get_fields(request, obj)
        if request.user.has_perm("articles.view_importrecord"):
            return fields
        return [field for field in fields if field != "records"]

    def has_view_permission(self, request, obj=None):
        own = obj is not None and obj.initiated_by_id is not None and obj.initiated_by_id == request.user.pk
        return own or super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="pieces imported")
    def pieces(self, batch):
        shown = f"{batch.recorded:,} of {batch.pending + batch.recorded:,}"
        return f"{shown}; failed: its attempts are used up" if batch.reported_status == "failed" else shown

    @admin.display(description="status")
    def progress(self, batch):
        status = batch.reported_status
        total = batch.pending + batch.recorded
        if status in ("queued", "running"):
            return f"{status}: {batch.recorded:,} of {total:,} pieces imported, {batch.pending:,} waiting"
        return f"{status}: {batch.recorded:,} of {total:,} pieces imported"

    @admin.display(description="outcomes")
    def outcomes(self, batch):
        counts = {outcome: number for outcome, number in (batch.counts or {}).items() if number}
        return ", ".join(f"{outcome} {number:,}" for outcome, number in counts.items()) or "none yet"

    @admin.display(description="import records")
    def records(self, batch):
        if not batch.recorded:
            return "none yet"
        url = reverse("admin:articles_importrecord_changelist") + f"?batch__id__exact={batch.pk}"
        return format_html('<a href="{}">{} records</a>', url, f"{batch.recorded:,}")


class ImportRecordAdmin(admin.ModelAdmin):
    """Import records are evidence: readable by the desk, never edited."""

    list_display = ["origin", "outcome", "article", "warning_count", "created_at"]
    list_filter = ["outcome", "batch__channel"]
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
