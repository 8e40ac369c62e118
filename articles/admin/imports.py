"""The import log: every run of the importer and every piece it was given, readable by the desk, never edited;
and the failures inbox, the same records narrowed to the pieces that failed, with their retry."""

from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html

from articles.admin import actions
from articles.admin.changelists import CalendarBoundChangeList
from articles.admin.feeds import RecordFeedFilter
from articles.admin.filters import DocumentFilter, RetriedFilter
from articles.models import ImportRecord

IMPORT_PERMISSION = "articles.add_article"


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
    actions = [actions.retry_imports]

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
    """Import records are evidence: readable by the desk, never edited. Their actions import a record's raw bytes
    again as a new import (`ingest.retry`), which needs the right to add articles.

    The failures inbox is this list narrowed to failed records (`failures/` opens it so), filtered by the kind of
    reason, by day, by the document (feed) their batch was split from, and by whether they were retried."""

    list_display = ["origin", "outcome", "failure_kind", "article", "warning_count", "retried", "created_at"]
    list_filter = ["outcome", "failure_kind", DocumentFilter, RecordFeedFilter, RetriedFilter, "batch__channel"]
    list_select_related = ["article"]
    search_fields = ["origin", "raw_sha256"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    actions = [actions.retry_failures, actions.rederive]
    fields = [
        "batch",
        "article",
        "origin",
        "outcome",
        "error",
        "failure_kind",
        "retry_of",
        "encoding",
        "raw_format",
        "raw_size",
        "raw_sha256",
        "created_at",
        "warnings",
        "edits",
        "raw_text",
    ]
    readonly_fields = fields

    def get_changelist(self, request, **kwargs):
        return CalendarBoundChangeList

    def get_queryset(self, request):
        retries = ImportRecord.objects.filter(retry_of=OuterRef("pk"))
        return super().get_queryset(request).annotate(was_retried=Exists(retries))

    def get_urls(self):
        failures = path(
            "failures/",
            self.admin_site.admin_view(self.failures_view),
            name="articles_importrecord_failures",
        )
        return [failures, *super().get_urls()]

    def failures_view(self, request):
        """Open the failures inbox: the import records of failed pieces, newest first."""
        url = reverse("admin:articles_importrecord_changelist")
        return HttpResponseRedirect(f"{url}?outcome__exact={ImportRecord.Outcome.FAILED}")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_import_permission(self, request):
        return request.user.has_perm(IMPORT_PERMISSION)

    @admin.display(description="warnings")
    def warning_count(self, record):
        return len(record.warnings or [])

    @admin.display(description="retried", boolean=True)
    def retried(self, record):
        return getattr(record, "was_retried", False)

    @admin.display(description="raw text, exactly as it arrived")
    def raw_text(self, record):
        return format_html('<pre class="raw-text">{}</pre>', record.raw_text)
