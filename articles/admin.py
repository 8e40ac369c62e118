"""The editorial admin: the desk where editors find pieces, fix them and move them through the workflow.

Admin classes here are declarations. Status changes go through `articles.workflow`, which checks permissions and
records history; the heavier parts (paging, provenance, the import page) live in `admin_views.py`.
"""

from django.contrib import admin
from django.contrib.admin import ActionLocation
from django.contrib.admin.options import ShowFacets
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.db import models
from django.forms import Media
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.csrf import csrf_exempt
from simple_history.admin import SimpleHistoryAdmin

from articles import admin_views, workflow
from articles.admin_fields import JSONTextField
from articles.admin_filters import (
    AuthorFilter,
    DuplicateFilter,
    LanguageFilter,
    ParentTopicFilter,
    ScheduledFilter,
    SourceFilter,
    TopicFilter,
    WarningsFilter,
)
from articles.admin_forms import ArticleAdminForm, BylineForm, BylineInlineFormSet
from articles.models import Article, Author, Byline, ImportBatch, ImportRecord, Source, Topic
from articles.workflow import PUBLISH_PERMISSION

LIST_AND_FORM = [ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM]


class BylineInline(admin.TabularInline):
    model = Byline
    form = BylineForm
    formset = BylineInlineFormSet
    extra = 0
    autocomplete_fields = ["author"]
    fields = ["position", "author", "role"]
    ordering = ["position"]
    classes = ["bylines-inline"]
    verbose_name = "author"
    verbose_name_plural = "byline (drag the rows or number them to set the order)"


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    form = ArticleAdminForm
    list_display = [
        "title", "source", "byline", "status", "published_at", "word_count", "language", "flags", "updated_at",
    ]  # fmt: skip
    ordering = ["-updated_at", "-id"]  # the desk's view, recent work first; served by the article_updated index
    list_filter = [
        "status",
        SourceFilter,
        TopicFilter,
        AuthorFilter,
        LanguageFilter,
        WarningsFilter,
        DuplicateFilter,
        ScheduledFilter,
    ]
    list_select_related = ["source"]
    list_per_page = 50
    show_full_result_count = False
    show_facets = ShowFacets.NEVER
    paginator = admin_views.CappedCountPaginator
    date_hierarchy = "published_at"
    search_fields = ["title"]  # enables autocomplete; the search itself is full text, see get_search_results
    search_help_text = "Words from the title, summary or body, best matches first; or an article number such as #123."
    autocomplete_fields = ["source", "topics"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["duplicate_of_link", "word_count", "created_at", "updated_at"]
    exclude = ["revision"]  # not editable on the model; the form carries it as a hidden field of its own
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body", "revision"]}),
        ("Publication", {"fields": [("status", "published_at"), ("source", "language"), "external_id"]}),
        ("Classification", {"fields": ["topics", "tags"]}),
        ("Record", {"fields": [("word_count", "created_at", "updated_at"), "duplicate_of_link"]}),
    ]
    inlines = [BylineInline]
    actions = ["publish", "send_to_review", "unpublish", "archive", "mark_as_duplicate"]

    @property
    def media(self):
        source_field = Article._meta.get_field("source")
        return (
            super().media
            + AutocompleteSelect(source_field, self.admin_site).media
            + Media(js=["articles/admin.js"], css={"all": ["articles/admin.css"]})
        )

    def get_urls(self):
        # Exempt from the CSRF middleware so that the page can set its upload handler before the body is read; the
        # page checks the token itself (admin_views.import_view).
        import_page = self.admin_site.admin_view(csrf_exempt(self.import_view))
        return [path("import/", import_page, name="articles_article_import"), *super().get_urls()]

    def import_view(self, request):
        return admin_views.import_view(self, request)

    def get_changelist(self, request, **kwargs):
        return admin_views.ArticleChangeList

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def get_search_results(self, request, queryset, search_term):
        return admin_views.search_articles(queryset, search_term), False

    def get_list_display(self, request):
        if request.GET.get("q", "").strip():
            return [*self.list_display, "match"]
        return self.list_display

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # django-simple-history lets whoever may view the history post an old version; restoring it is a change.
        # What the restored version does to publication is checked by the form (`require_publication_right`).
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        # Restoring a deleted article undoes an editor's deletion: it needs the permission that deleted it.
        gone = not Article.objects.filter(pk=object_id).exists() if str(object_id).isdigit() else True
        if request.method == "POST" and gone and not self.has_delete_permission(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_historical_record_context_helper(self, request, historical_record):
        return admin_views.ArticleHistoryContext(self.model, historical_record)

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        extra = {}
        if article:
            # Reporters see how the article they edit arrived; the import log itself is for editors.
            extra = {
                "provenance": admin_views.provenance(article),
                "can_open_import_records": request.user.has_perm("articles.view_importrecord"),
            }
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def changelist_view(self, request, extra_context=None):
        can_import = request.user.has_perm("articles.add_article")
        extra = {"import_url": reverse("admin:articles_article_import") if can_import else None}
        return super().changelist_view(request, {**extra, **(extra_context or {})})

    @admin.display(description="authors")
    def byline(self, article):
        return ", ".join(byline.author.name for byline in article.bylines.all())

    @admin.display(description="flags")
    def flags(self, article):
        marks = []
        if getattr(article, "has_warnings", False):
            marks.append(("flag flag-warning", "Imported with warnings", "warnings"))
        if article.duplicate_of_id:
            marks.append(("flag flag-duplicate", f"Duplicate of #{article.duplicate_of_id}", "duplicate"))
        if article.is_scheduled:
            marks.append(("flag flag-scheduled", "Scheduled: not public yet", "scheduled"))
        return format_html_join(" ", '<span class="{}" title="{}">{}</span>', marks)

    @admin.display(description="match")
    def match(self, article):
        return admin_views.highlighted_snippet(getattr(article, "snippet", "") or "")

    @admin.display(description="duplicate of")
    def duplicate_of_link(self, article):
        if not article.duplicate_of_id:
            return "—"
        url = reverse("admin:articles_article_change", args=[article.duplicate_of_id])
        return format_html('<a href="{}">{}</a>', url, article.duplicate_of)

    @admin.action(description="Publish", description_plural="Publish selected articles", permissions=["publish"],
                  location=LIST_AND_FORM)  # fmt: skip
    def publish(self, request, queryset):
        return admin_views.apply_workflow(self, request, queryset, workflow.publish, done="Published")

    @admin.action(description="Send to review", description_plural="Send selected articles to review",
                  permissions=["change"], location=LIST_AND_FORM)  # fmt: skip
    def send_to_review(self, request, queryset):
        return admin_views.apply_workflow(self, request, queryset, workflow.send_to_review, done="Sent to review")

    @admin.action(description="Unpublish", description_plural="Unpublish selected articles", permissions=["publish"],
                  location=LIST_AND_FORM)  # fmt: skip
    def unpublish(self, request, queryset):
        return admin_views.apply_workflow(self, request, queryset, workflow.unpublish, done="Unpublished")

    @admin.action(description="Archive", description_plural="Archive selected articles", permissions=["change"],
                  location=LIST_AND_FORM)  # fmt: skip
    def archive(self, request, queryset):
        return admin_views.apply_workflow(self, request, queryset, workflow.archive, done="Archived")

    @admin.action(description="Mark selected articles as duplicates of…", permissions=["change"])
    def mark_as_duplicate(self, request, queryset):
        return admin_views.mark_as_duplicate(self, request, queryset)


class CountedAdmin(admin.ModelAdmin):
    """A list of rows with how many articles each has, counted in the same query as the rows."""

    show_full_result_count = False
    show_facets = ShowFacets.NEVER

    def get_queryset(self, request):
        return super().get_queryset(request).with_article_counts()

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, obj):
        return obj.article_count


@admin.register(Author)
class AuthorAdmin(CountedAdmin):
    ordering = ["name"]
    list_display = ["name", "kind", "article_count"]
    list_filter = ["kind"]
    search_fields = ["name"]
    readonly_fields = ["name_key"]
    actions = ["merge_into"]

    @admin.action(description="Merge selected authors into one…", permissions=["delete"])
    def merge_into(self, request, queryset):
        return admin_views.merge_authors(self, request, queryset)


@admin.register(Source)
class SourceAdmin(CountedAdmin):
    ordering = ["name"]
    list_display = ["name", "kind", "homepage_url", "article_count"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Topic)
class TopicAdmin(CountedAdmin):
    formfield_overrides = {models.JSONField: {"form_class": JSONTextField}}
    ordering = ["name"]
    list_display = ["tree_name", "iptc_code", "article_count"]
    list_filter = [ParentTopicFilter]
    list_per_page = 500
    search_fields = ["name", "iptc_code"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}

    def get_changelist(self, request, **kwargs):
        return admin_views.TopicChangeList

    @admin.display(description="topic", ordering="name")
    def tree_name(self, topic):
        depth = getattr(topic, "tree_depth", 0)
        return format_html('<span class="topic-depth-{}" style="padding-left: {}em">{}</span>', depth, depth * 1.5,
                           topic.name)  # fmt: skip


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["__str__", "channel", "status", "initiated_by", "started_at", "finished_at", "counts"]
    list_filter = ["status", "channel"]
    list_select_related = ["initiated_by"]
    date_hierarchy = "started_at"
    show_full_result_count = False

    def get_changelist(self, request, **kwargs):
        return admin_views.CalendarBoundChangeList

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ImportRecord)
class ImportRecordAdmin(admin.ModelAdmin):
    """Import records are evidence: readable by the desk, never edited."""

    list_display = ["origin", "outcome", "article", "warning_count", "created_at"]
    list_filter = ["outcome", "batch__channel"]
    list_select_related = ["article"]
    search_fields = ["origin", "raw_sha256"]
    show_full_result_count = False
    fields = ["batch", "article", "origin", "outcome", "error", "encoding", "raw_size", "raw_sha256", "created_at",
              "warnings", "edits", "raw_text"]  # fmt: skip
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
