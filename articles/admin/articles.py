"""The article admin: the desk's list of articles, its form with bylines in order, provenance and history."""

from django.contrib import admin
from django.contrib.admin.options import ShowFacets
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.forms import Media
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html, format_html_join
from django.views.decorators.csrf import csrf_exempt
from simple_history.admin import SimpleHistoryAdmin

from articles.admin import actions, views
from articles.admin.changelists import ArticleChangeList, CappedCountPaginator, apply_search
from articles.admin.counts import status_links
from articles.admin.filters import (
    AuthorListFilter,
    DuplicateListFilter,
    LanguageListFilter,
    ScheduledListFilter,
    SourceListFilter,
    StatusListFilter,
    StoryRowsListFilter,
    TopicListFilter,
    WarningsListFilter,
)
from articles.admin.forms import ArticleAdminForm, BylineForm, BylineInlineFormSet
from articles.admin.provenance import ArticleHistoryContext, provenance
from articles.admin.reading import EntitySuggestionInline, QuoteInline
from articles.admin.suggestions import TopicSuggestionInline
from articles.models import Article, Byline
from articles.workflow import PUBLISH_PERMISSION


def _short_date(moment, short_format: str):
    """Return a date to fit a narrow column, in full on hover, or a dash."""
    if moment is None:
        return "—"
    local = timezone.localtime(moment)
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        local.isoformat(),
        date_format(local, "DATETIME_FORMAT"),
        date_format(local, short_format),
    )


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

    def get_queryset(self, request):
        # Each row is labelled with its byline's name (`Byline.__str__`): the authors come with the rows.
        return super().get_queryset(request).select_related("author")


class ArticleAdmin(SimpleHistoryAdmin):
    form = ArticleAdminForm
    object_history_form_template = "admin/articles/article/object_history_form.html"
    # Read at 1440 px beside the menu and the filters: the flags under the title (as WordPress shows a post's
    # states), the source above its authors, dates short (in full on hover).
    list_display = ["headline", "source_and_byline", "status_badge", "published", "words", "lang", "updated"]
    ordering = ["-updated_at", "-id"]  # the desk's view, recent work first; served by the article_updated index
    list_filter = [
        StatusListFilter,
        SourceListFilter,
        TopicListFilter,
        AuthorListFilter,
        LanguageListFilter,
        WarningsListFilter,
        DuplicateListFilter,
        ScheduledListFilter,
        StoryRowsListFilter,
    ]
    list_select_related = ["source"]
    list_per_page = 50
    show_full_result_count = False
    show_facets = ShowFacets.NEVER
    paginator = CappedCountPaginator
    date_hierarchy = "published_at"
    search_fields = ["title"]  # enables autocomplete; the search itself is full text, see get_search_results

    def view_on_site(self, article):
        """Open the public page of an article readers see, else the desk's preview of it."""
        return article.public_page or reverse("article-preview", args=[article.pk])

    search_help_text = "Words from the title, summary or body, best matches first; or an article number such as #123."
    autocomplete_fields = ["source", "topics"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["duplicate_of_link", "word_count", "created_at", "updated_at"]
    exclude = ["revision"]  # not editable on the model; the form carries it as a hidden field of its own
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body", "revision"]}),
        (
            "Publication",
            {"fields": [("status", "published_at", "unpublish_at"), ("source", "language"), "external_id"]},
        ),
        ("Classification", {"fields": ["topics", "tags"]}),
        ("Record", {"fields": [("word_count", "created_at", "updated_at"), "duplicate_of_link"]}),
    ]
    inlines = [BylineInline, QuoteInline, EntitySuggestionInline, TopicSuggestionInline]
    actions = [
        actions.publish,
        actions.send_to_review,
        actions.unpublish,
        actions.archive,
        actions.mark_as_duplicate,
        actions.bulk_edit,
    ]

    @property
    def media(self):
        source_field = Article._meta.get_field("source")
        return (
            super().media
            + AutocompleteSelect(source_field, self.admin_site).media
            + Media(js=["articles/admin.js", "articles/unsaved.js"], css={"all": ["articles/admin.css"]})
        )

    def get_urls(self):
        # Exempt from the CSRF middleware so that the page can set its upload handler before the body is read; the
        # page checks the token itself (views.import_view).
        import_page = self.admin_site.admin_view(csrf_exempt(self.import_view))
        return [
            path("import/", import_page, name="articles_article_import"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        return views.import_view(self, request)

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def get_search_results(self, request, queryset, search_term):
        return apply_search(queryset, search_term), False

    def get_list_display(self, request):
        shown = list(self.list_display)
        if request.GET.get("stories") == "one":
            shown[2:2] = ["copies", "outlets"]
        if request.GET.get("q", "").strip():
            shown.append("match")
        return shown

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # django-simple-history lets whoever may view the history post an old version; restoring it is a change.
        # What the restored version does to publication is checked by the form (`require_publication_right`).
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        # Restoring a deleted article undoes an editor's deletion: it needs the permission that deleted it.
        gone = not Article.objects.filter(pk=object_id).exists() if str(object_id).isdigit() else True
        if request.method == "POST" and gone and not self.has_delete_permission(request):
            raise PermissionDenied
        current = Article.objects.filter(pk=object_id).values_list("title", flat=True).first() if not gone else None
        extra = {"current_title": current, **(extra_context or {})}
        return super().history_form_view(request, object_id, version_id, extra)

    def get_historical_record_context_helper(self, request, historical_record):
        return ArticleHistoryContext(self.model, historical_record)

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            # Reporters see how the article they edit arrived; the import log itself is for editors.
            context = {
                **context,
                "provenance": provenance(obj),
                "can_open_import_records": request.user.has_perm("articles.view_importrecord"),
            }
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def changelist_view(self, request, extra_context=None):
        can_import = request.user.has_perm("articles.add_article")
        extra = {
            "import_url": reverse("admin:articles_article_import") if can_import else None,
            "status_counts": status_links(request),  # counted once, shared with the status filter
        }
        return super().changelist_view(request, {**extra, **(extra_context or {})})

    @admin.display(description="title", ordering="title")
    def headline(self, article):
        # Two lines at most in the list (admin.css clamps `.clamp-2`); the whole title on hover; the flags below.
        flags = self.flags(article)
        return format_html(
            '<span class="clamp-2" title="{}">{}</span>{}',
            article.title,
            article.title,
            format_html('<span class="row-flags">{}</span>', flags) if flags else "",
        )

    @admin.display(description="copies")
    def copies(self, article):
        url = reverse("admin:articles_story_change", args=[article.story_id])
        return format_html('<a href="{}" title="Open the story">{}</a>', url, getattr(article, "story_size", "—"))

    @admin.display(description="outlets")
    def outlets(self, article):
        names = getattr(article, "story_outlets", [])
        return format_html('<span class="clamp-2" title="{}">{}</span>', ", ".join(names), len(names))

    @admin.display(description="lang.", ordering="language")
    def lang(self, article):
        return article.language

    @admin.display(description="words", ordering="word_count")
    def words(self, article):
        return article.word_count

    @admin.display(description="status", ordering="status")
    def status_badge(self, article):
        return format_html(
            '<span class="status-badge status-{}">{}</span>', article.status, article.get_status_display()
        )

    @admin.display(description="authors")
    def byline(self, article):
        return ", ".join(byline.author.name for byline in article.bylines.all())

    @admin.display(description="source · authors", ordering="source__name")
    def source_and_byline(self, article):
        names = self.byline(article)
        return format_html(
            '<span class="clamp-1">{}</span><span class="clamp-1 byline-quiet" title="{}">{}</span>',
            article.source.name if article.source_id else "—",
            names,
            names or "no byline",
        )

    @admin.display(description="published", ordering="published_at")
    def published(self, article):
        return _short_date(article.published_at, "j M Y")

    @admin.display(description="updated", ordering="updated_at")
    def updated(self, article):
        return _short_date(article.updated_at, "j M, H:i")

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
        # A snippet from `FullTextSearch.snippets` is safe HTML already; any other text is escaped.
        return conditional_escape(getattr(article, "snippet", "") or "")

    @admin.display(description="duplicate of")
    def duplicate_of_link(self, article):
        if not article.duplicate_of_id:
            return "—"
        url = reverse("admin:articles_article_change", args=[article.duplicate_of_id])
        return format_html('<a href="{}">{}</a>', url, article.duplicate_of)
