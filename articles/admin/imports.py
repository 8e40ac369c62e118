"""The import log: every run of the importer and every piece it was given, readable by the desk, never edited;
and the failures inbox, the same records narrowed to the pieces that failed, with their retry."""

from urllib.parse import urlencode

from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from articles.admin import actions
from articles.admin.changelists import CalendarBoundChangeList
from articles.admin.feeds import RecordFeedFilter
from articles.admin.filters import DocumentFilter, RetriedFilter
from articles.models import ImportRecord

IMPORT_PERMISSION = "articles.add_article"


class ImportBatchAdmin(admin.ModelAdmin):
    """The import runs. Editors read them all; whoever queued an import follows its batch's page (and only it)."""

    list_display = ["__str__", "channel", "status", "pieces", "initiated_by", "started_at", "finished_at", "outcomes"]
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
    readonly_fields = [*fields, "linked_outcomes"]
    actions = [actions.retry_imports]

    class Media:
        css = {"all": ["articles/admin.css"]}

    def get_changelist(self, request, **kwargs):
        return CalendarBoundChangeList

    def has_retry_permission(self, request):
        """Retrying runs an import again: for those who read the import log and may import."""
        return request.user.has_perms(["articles.view_importbatch", "articles.add_article"])

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user).with_progress()

    def get_fields(self, request, obj=None):
        """Leave the links to the import records (raw text) out for those who may not read them."""
        fields = [field for field in super().get_fields(request, obj) if field != "linked_outcomes"]
        if request.user.has_perm("articles.view_importrecord"):
            return [field if field != "outcomes" else "linked_outcomes" for field in fields]
        return [field for field in fields if field != "records"]

    def get_list_display(self, request):
        if request.user.has_perm("articles.view_importrecord"):
            return [column if column != "outcomes" else "linked_outcomes" for column in self.list_display]
        return self.list_display

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
        return outcome_badges(batch, link=False)

    @admin.display(description="outcomes")
    def linked_outcomes(self, batch):
        return outcome_badges(batch, link=True)

    @admin.display(description="import records")
    def records(self, batch):
        if not batch.recorded:
            return "none yet"
        url = reverse("admin:articles_importrecord_changelist") + f"?batch__id__exact={batch.pk}"
        return format_html('<a href="{}">{} records</a>', url, f"{batch.recorded:,}")


def outcome_badges(batch, *, link: bool):
    """Return the batch's counts as a row of badges, one per outcome it had, in the pipeline's order; each a link to
    the batch's records of that outcome when `link` (for those who may read import records)."""
    counts = batch.counts or {}
    records = reverse("admin:articles_importrecord_changelist")
    badges = []
    for outcome, label in ImportRecord.Outcome.choices:
        number = counts.get(outcome, 0)
        if not number:
            continue
        text = format_html('<span class="outcome-badge outcome-{}">{} <b>{}</b></span>', outcome, label, f"{number:,}")
        if link:
            query = urlencode({"batch__id__exact": batch.pk, "outcome__exact": outcome})
            text = format_html(
                '<a href="{}?{}" title="The {} records of this import">{}</a>', records, query, outcome, text
            )
        badges.append(text)
    if not badges:
        return format_html('<span class="outcome-none">{}</span>', "none yet")
    return format_html('<span class="outcome-badges">{}</span>', format_html_join(" ", "{}", ((b,) for b in badges)))


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
