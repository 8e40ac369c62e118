"""The parts of the editorial admin that are more than declarations: paging without COUNT(*), the provenance
panel, the import page and the intermediate pages of the actions that need a choice."""

import calendar
import datetime
import difflib
from typing import TYPE_CHECKING

from django import forms
from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ORDER_VAR, SEARCH_VAR, ChangeList, ChangeListSearchForm
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFilesSent, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Max, Min, Prefetch
from django.http.multipartparser import MultiPartParserError
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.views.decorators.csrf import csrf_protect
from simple_history.template_utils import HistoricalRecordContextHelper

from articles import search
from articles.admin_forms import ImportForm, MarkDuplicateForm, MergeAuthorsForm
from articles.ids import parse_id
from articles.models import Article, Byline, ImportRecord, Topic
from articles.uploads import BoundedUploadHandler

if TYPE_CHECKING:
    from articles.ingest import PieceResult

DIFF_MAX_CHARS = 200_000
RANKED_MATCHES_MAX = 1_000


class CappedCountPaginator(Paginator):
    """Count at most `cap` rows: exact for the small result sets editors page through, and cheap at any size.

    A full COUNT(*) reads the whole table on every page view; counting a LIMITed subquery stops at the cap.
    """

    cap = 10_000

    @cached_property
    def count(self):
        return min(self.object_list.order_by().values("pk")[: self.cap + 1].count(), self.cap)

    @property
    def is_capped(self):
        return self.count >= self.cap


class CalendarBoundChangeList(ChangeList):
    """Django's change list, with a date drill-down past the calendar (a year of 20 digits, the day after
    9999-12-31) answered as an invalid filter, like any other, rather than a crash: Django reads such dates without
    catching the overflow."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error


SEARCH_MAX_CHARS = 200  # as the API's `?search=`


class ArticleSearchForm(ChangeListSearchForm):
    """The desk's search box, with a length limit: the full-text query grows with every word, and a search of a few
    thousand words kept PostgreSQL busy for a minute and more. A longer search is refused with a message."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[SEARCH_VAR] = forms.CharField(required=False, strip=False, max_length=SEARCH_MAX_CHARS)


class ArticleChangeList(CalendarBoundChangeList):
    """The article list, built so that a page costs the same at 100,000 articles as at 100.

    The long text columns are left out of the row query (sorting them is what makes a list slow), bylines come in one
    query, the warnings flag is looked up for the page's rows only, and search results come best first.
    """

    search_form_class = ArticleSearchForm

    def get_queryset(self, request, exclude_parameters=None):
        bylines = Byline.objects.select_related("author").order_by("position")
        return (
            super()
            .get_queryset(request, exclude_parameters)
            .defer("body", "summary")
            .prefetch_related(Prefetch("bylines", queryset=bylines))
        )

    def get_ordering(self, request, queryset):
        ranked = "rank" in queryset.query.annotations or "rank" in queryset.query.extra
        if ORDER_VAR not in self.params and ranked:
            return ["-rank", "-pk"]
        return super().get_ordering(request, queryset)

    def get_results(self, request):
        super().get_results(request)
        self.result_list = list(self.result_list)
        warned = set(
            ImportRecord.objects.filter(article__in=[article.pk for article in self.result_list])
            .exclude(warnings=[])
            .exclude(outcome=ImportRecord.Outcome.FAILED)
            .values_list("article_id", flat=True)
        )
        snippets = {}
        if self.query.strip() and self.result_list:
            ids = [article.pk for article in self.result_list]
            snippets = search.search_snippets(ids, self.query, vendor=connection.vendor)
        for article in self.result_list:
            article.has_warnings = article.pk in warned
            article.snippet = snippets.get(article.pk) or ""

    @cached_property
    def date_links(self) -> dict:
        """Return the date drill-down links, built from the table's first and last publication dates.

        Django's own drill-down asks the database, on every page view, for the distinct years (months, days) of the
        filtered rows: a pass over the whole table at 100,000 articles. The periods between the first and last
        publication (cached for a few minutes) are offered instead; a period can turn out empty under a filter.
        """
        field = self.date_hierarchy
        year, month, day = (self.params.get(f"{field}__{part}") for part in ("year", "month", "day"))

        def link(filters):
            return self.get_query_string(filters, [f"{field}__"])

        span = publication_span()
        if span is None:
            return {"show": False}
        first, last = span
        if year and month and day:
            chosen = datetime.date(int(year), int(month), int(day))
            back = {"link": link({f"{field}__year": year, f"{field}__month": month}),
                    "title": capfirst(date_format(chosen, "YEAR_MONTH_FORMAT"))}  # fmt: skip
            choices = [{"title": capfirst(date_format(chosen, "MONTH_DAY_FORMAT"))}]
            return {"show": True, "back": back, "choices": choices}
        if year and month:
            days = calendar.monthrange(int(year), int(month))[1]
            choices = [
                {
                    "link": link({f"{field}__year": year, f"{field}__month": month, f"{field}__day": number}),
                    "title": capfirst(date_format(datetime.date(int(year), int(month), number), "MONTH_DAY_FORMAT")),
                }
                for number in range(1, days + 1)
            ]
            return {"show": True, "back": {"link": link({f"{field}__year": year}), "title": str(year)},
                    "choices": choices}  # fmt: skip
        if year:
            low = first.month if int(year) == first.year else 1
            high = last.month if int(year) == last.year else 12
            choices = [
                {
                    "link": link({f"{field}__year": year, f"{field}__month": number}),
                    "title": capfirst(date_format(datetime.date(int(year), number, 1), "YEAR_MONTH_FORMAT")),
                }
                for number in range(low, high + 1)
            ]
            return {"show": True, "back": {"link": link({}), "title": "All dates"}, "choices": choices}
        years = range(first.year, last.year + 1)
        return {
            "show": True,
            "back": None,
            "choices": [{"link": link({f"{field}__year": str(number)}), "title": str(number)} for number in years],
        }


SUMMARY_CACHE_SECONDS = 300


def publication_span() -> tuple[datetime.datetime, datetime.datetime] | None:
    """Return the first and last publication times of all articles (local time), cached for a few minutes."""
    span = cache.get("newsroom:admin:publication-span")
    if span is None:
        found = Article.objects.aggregate(first=Min("published_at"), last=Max("published_at"))
        span = (found["first"], found["last"]) if found["first"] else ()
        cache.set("newsroom:admin:publication-span", span, SUMMARY_CACHE_SECONDS)
    return tuple(timezone.localtime(moment) for moment in span) if span else None


def article_languages() -> list[str]:
    """Return the languages articles are written in, cached for a few minutes (a distinct over every row)."""
    return cache.get_or_set(
        "newsroom:admin:languages",
        lambda: list(Article.objects.order_by("language").values_list("language", flat=True).distinct()),
        SUMMARY_CACHE_SECONDS,
    )


def search_articles(queryset, text: str):
    """Narrow `queryset` to the articles matching `text` (full text, or `#123` for one article).

    Up to RANKED_MATCHES_MAX matches come with their rank (best first); ranking scores every match, which for a
    word found in a quarter of 100,000 articles takes seconds, so beyond that the matches keep the list's own
    order (newest changes first). Snippets are left out here: each costs a pass over an article's text, so the
    change list fetches them for the rows of the page it shows (ArticleChangeList.get_results).
    """
    text = text.strip()
    if not text:
        return queryset
    number = text.lstrip("#")
    if number.isascii() and number.isdigit():  # an article number; `²` and the like are searched as words
        pk = parse_id(number)
        return queryset.filter(pk=pk) if pk is not None else queryset.none()
    matches = search.matching(queryset, text, vendor=connection.vendor)
    if matches.order_by().values("pk")[: RANKED_MATCHES_MAX + 1].count() > RANKED_MATCHES_MAX:
        return matches
    return search.search_articles(queryset, text, vendor=connection.vendor, snippets=False)


class TopicChangeList(ChangeList):
    """Topics listed as a tree (each under its parent, indented), unless the editor sorts by a column."""

    def get_results(self, request):
        super().get_results(request)
        tree = topic_tree()
        topics = list(self.result_list)
        for topic in topics:
            topic.tree_depth = tree[topic.pk]["depth"]
        if ORDER_VAR not in self.params:
            topics.sort(key=lambda topic: tree[topic.pk]["path"])
        self.result_list = topics


def topic_tree() -> dict[int, dict]:
    """Return, for every topic id, its depth and its path of lower-cased names from the root (one query)."""
    rows = {pk: (parent, name) for pk, parent, name in Topic.objects.values_list("pk", "parent_id", "name")}
    tree = {}
    for pk in rows:
        path, node, seen = [], pk, set()
        while node is not None and node not in seen:
            seen.add(node)
            parent, name = rows[node]
            path.append((name.casefold(), node))
            node = parent
        tree[pk] = {"depth": len(path) - 1, "path": tuple(reversed(path))}
    return tree


def apply_workflow(model_admin, request, queryset, service, *, done: str, **kwargs):
    """Run a workflow service over the selected articles and tell the editor what changed and what did not."""
    articles = list(queryset)
    try:
        changed = service(articles, user=request.user, **kwargs)
    except PermissionDenied as error:
        model_admin.message_user(request, f"Nothing was changed: {error}", messages.ERROR)
        return None
    except ValidationError as error:
        model_admin.message_user(request, f"Nothing was changed: {' '.join(error.messages)}", messages.ERROR)
        return None
    left = len(articles) - changed
    text = f"{done} {changed} article{'s' if changed != 1 else ''}."
    if left:
        text += f" {left} left as {'it was' if left == 1 else 'they were'} (already in that state or not eligible)."
    model_admin.message_user(request, text, messages.SUCCESS if changed else messages.WARNING)
    return None


def intermediate_page(model_admin, request, queryset, *, template, title, form, **context):
    """Render the page where an action asks for one more choice; it posts back to the changelist's action."""
    return TemplateResponse(
        request,
        template,
        {
            **model_admin.admin_site.each_context(request),
            "title": title,
            "opts": model_admin.model._meta,
            "objects": queryset,
            "form": form,
            "media": model_admin.media + form.media,
            "action": request.POST.get("action", ""),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            **context,
        },
    )


def mark_as_duplicate(model_admin, request, queryset):
    from articles import workflow

    form = MarkDuplicateForm(request.POST if "confirm" in request.POST else None, admin_site=model_admin.admin_site)
    if form.is_valid():
        original = form.cleaned_data["original"]
        return apply_workflow(
            model_admin,
            request,
            queryset,
            workflow.mark_duplicate,
            done=f"Marked as duplicates of “{original}”:",
            original=original,
        )
    return intermediate_page(
        model_admin, request, queryset, template="admin/articles/article/mark_duplicate.html",
        title="Mark as duplicate of another article", form=form,
    )  # fmt: skip


def merge_authors(model_admin, request, queryset):
    from articles import workflow

    authors = queryset.with_article_counts()
    form = MergeAuthorsForm(request.POST if "confirm" in request.POST else None, authors=authors)
    if form.is_valid():
        into = form.cleaned_data["into"]
        try:
            merged = workflow.merge_authors(list(queryset.exclude(pk=into.pk)), into=into, user=request.user)
        except PermissionDenied as error:
            model_admin.message_user(request, f"Nothing was changed: {error}", messages.ERROR)
            return None
        model_admin.message_user(request, f"Merged {merged} author{'s' if merged != 1 else ''} into “{into}”.")
        return None
    return intermediate_page(
        model_admin, request, authors, template="admin/articles/author/merge.html",
        title="Merge authors", form=form,
    )  # fmt: skip


def provenance(article: Article) -> dict | None:
    """Return what the provenance panel shows: how the article arrived and what the cleaner changed on the way."""
    records = list(article.import_records.select_related("batch__initiated_by").order_by("-created_at", "-id"))
    if not records:
        return None
    loaded = [r for r in records if r.outcome in {ImportRecord.Outcome.CREATED, ImportRecord.Outcome.UPDATED}]
    record = (loaded or records)[0]
    raw = record.raw_text
    as_imported = (
        article.history.filter(revision=article.imported_revision).only("title", "body").first()
        if article.imported_revision
        else None
    )
    clean = "\n".join([(as_imported or article).title, (as_imported or article).body])
    return {
        "record": record,
        "records": records,
        "raw": raw,
        "edits": record.edits or [],
        "warnings": [describe_warning(w) for w in record.warnings or []],
        "diff": text_diff(raw, clean),
        "edited_since_import": article.edited_since_import,
    }


def describe_warning(warning) -> str:
    if isinstance(warning, dict):
        message = warning.get("message") or warning.get("text")
        details = ", ".join(f"{key}: {value}" for key, value in warning.items() if key not in {"message", "text"})
        return f"{message} ({details})" if message and details else message or details
    return str(warning)


def text_diff(raw: str, clean: str):
    """Return a side-by-side HTML table of the changed lines of raw and clean text (blank lines ignored).

    HtmlDiff escapes `&`, `<` and `>` in the text itself, so the table is safe to insert as it is.
    """
    if len(raw) + len(clean) > DIFF_MAX_CHARS:
        return None
    before = [line for line in raw.splitlines() if line.strip()]
    after = [line for line in clean.splitlines() if line.strip()]
    table = difflib.HtmlDiff(wrapcolumn=70).make_table(
        before, after, "As it arrived", "As imported", context=True, numlines=1
    )
    return mark_safe(table)  # noqa: S308 - every piece of text in it has been escaped by HtmlDiff


class ArticleHistoryContext(HistoricalRecordContextHelper):
    """History entries that show what changed in a long text (the words around each change), not its first and
    last hundred characters, so a one-word correction in a long body is visible at a glance."""

    def stringify_delta_change_values(self, change, old, new):
        if isinstance(old, str) and isinstance(new, str) and len(old) + len(new) > 200:
            return word_changes(old, new)
        return super().stringify_delta_change_values(change, old, new)


def word_changes(old: str, new: str, *, context: int = 5):
    """Return (old, new) as HTML showing only the changed words, marked, with a few words of context each side."""
    before, after = old.split(), new.split()
    old_parts, new_parts = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        lead = " ".join(before[max(0, i1 - context) : i1])
        old_tail = " ".join(before[i2 : i2 + context])
        new_tail = " ".join(after[j2 : j2 + context])
        old_parts.append(format_html("…{} <del>{}</del> {}…", lead, " ".join(before[i1:i2]), old_tail))
        new_parts.append(format_html("…{} <ins>{}</ins> {}…", lead, " ".join(after[j1:j2]), new_tail))
    if not old_parts:
        return "(whitespace only)", "(whitespace only)"
    return mark_safe("<br>".join(old_parts)), mark_safe("<br>".join(new_parts))  # noqa: S308 - parts are escaped


def highlighted_snippet(snippet: str):
    """Return a snippet as HTML: one from `search.search_snippets` is safe already; any other text is escaped."""
    return conditional_escape(snippet)


def import_view(model_admin, request):
    """Upload or paste pieces and show what became of each, through the same pipeline as the command.

    The upload is bounded before it is read: a request over NEWSROOM_UPLOAD_MAX_BYTES is refused from its
    Content-Length, and each file streams to a temporary file on disk and is stopped past NEWSROOM_IMPORT_MAX_BYTES.
    The page's URL is exempt from the CSRF middleware, which would read the body before the upload handler is in
    place; the token is checked here instead, right after the body is read and before anything is imported.
    """
    if not request.user.has_perm("articles.add_article"):
        raise PermissionDenied
    if request.method != "POST":
        return _import_page(model_admin, request, ImportForm())
    refusal = _oversize_upload(request)
    if refusal:
        return _import_page(model_admin, request, ImportForm(), error=refusal, status=413)
    handler = BoundedUploadHandler(request, max_file_bytes=django_settings.NEWSROOM_IMPORT_MAX_BYTES)
    request.upload_handlers = [handler]
    try:
        request.POST, request.FILES  # noqa: B018 - read the body now, through the handler
    except (RequestDataTooBig, TooManyFilesSent, MultiPartParserError) as error:
        status = 400 if isinstance(error, MultiPartParserError) else 413
        return _import_page(model_admin, request, ImportForm(), error=_unreadable_upload(error), status=status)
    return _checked_import(request, model_admin, handler.refused)


@csrf_protect
def _checked_import(request, model_admin, refused_files):
    form = ImportForm(request.POST, request.FILES, refused_files=refused_files)
    if not form.is_valid():
        return _import_page(model_admin, request, form)
    from articles.ingest import ImportOptions, import_files

    options = ImportOptions(channel="admin", user=request.user, status=form.cleaned_data["status"], source=None)
    report = import_files(form.pieces(), options=options)
    show_records = request.user.has_perm("articles.view_importrecord")
    results = [describe_result(result, link_record=show_records) for result in report.results]
    return _import_page(model_admin, request, form, results=results, counts=sorted(report.counts.items()))


def _oversize_upload(request) -> str:
    """Return why the request is too large to read, from its Content-Length, or "" when it is not."""
    limit = django_settings.NEWSROOM_UPLOAD_MAX_BYTES
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length <= limit:
        return ""
    return (
        f"The upload is {length:,} bytes, over the limit of {limit:,} bytes for one upload "
        "(NEWSROOM_UPLOAD_MAX_BYTES); nothing was imported. Upload fewer or smaller files at a time."
    )


def _unreadable_upload(error) -> str:
    if isinstance(error, MultiPartParserError):
        return f"The upload could not be read ({error}); nothing was imported."
    if isinstance(error, TooManyFilesSent):
        limit = django_settings.DATA_UPLOAD_MAX_NUMBER_FILES
        return f"The upload has more than {limit:,} files; nothing was imported. Upload fewer files at a time."
    limit = django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return (
        f"The pasted text is over the limit of {limit:,} bytes (DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE); nothing was "
        "imported. Upload the piece as a file instead."
    )


def _import_page(model_admin, request, form, *, results=None, counts=None, error="", status=200):
    return TemplateResponse(
        request,
        "admin/articles/article/import.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": "Import pieces",
            "opts": Article._meta,
            "form": form,
            "results": results,
            "counts": counts,
            "upload_error": error,
            "max_file_bytes": django_settings.NEWSROOM_IMPORT_MAX_BYTES,
            "max_upload_bytes": django_settings.NEWSROOM_UPLOAD_MAX_BYTES,
            "media": model_admin.media + form.media,
        },
        status=status,
    )


def describe_result(result: "PieceResult", *, link_record: bool) -> dict:
    """Return one row of the import page; the import record is linked for those who may open it (editors)."""
    article_id, record_id = result.article_id, result.record_id if link_record else None
    return {
        "origin": result.origin,
        "outcome": str(result.outcome),
        "title": result.title or "",
        "warnings": [describe_warning(w) for w in result.warnings],
        "error": result.error,
        "article_url": reverse("admin:articles_article_change", args=[article_id]) if article_id else None,
        "record_url": reverse("admin:articles_importrecord_change", args=[record_id]) if record_id else None,
    }
