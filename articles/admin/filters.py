"""Changelist filters (Django's "list filters") that stay cheap with 100,000 articles and thousands of sources,
authors and topics.

Django's related-field filters list every related row in the sidebar; with ten thousand sources that is a page of
links nobody can use and a query that grows with the table. These filters show one autocomplete box instead (the
admin's own autocomplete endpoint) and filter with `Exists`, so many-to-many matches never repeat an article.

Counts. Where a count is cheap the sidebar shows it beside each choice ("Draft (12)"): each filter counts with one
query whatever the table's size (a GROUP BY an indexed column, or a COUNT over an index), and, as the status links
above the list, of all articles rather than of those the other filters leave (that would be one more pass over a
search's matches per filter). The autocomplete filters count the articles of the row chosen, when one is.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from articles.admin.counts import STATUS_PARAMETER, counted, grouped_counts, status_counts
from articles.ids import parse_id
from articles.models import Article, Byline, ImportBatch, Topic


class AutocompleteListFilter(admin.ListFilter):
    """Filter on one related row, chosen in an autocomplete box that asks the server as the editor types."""

    template = "admin/articles/filter_autocomplete.html"
    parameter_name = ""
    field_name = ""

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        values = params.pop(self.parameter_name, None)
        raw = values[-1] if isinstance(values, list) else values
        self.value = parse_id(str(raw)) if raw else None  # a value that is no id (`²`, 30 digits) filters nothing
        if raw is not None:
            self.used_parameters[self.parameter_name] = raw
        field = model._meta.get_field(self.field_name)
        self.widget = forms.ModelChoiceField(
            queryset=field.remote_field.model._default_manager.all(),
            widget=AutocompleteSelect(field, model_admin.admin_site),
            required=False,
        ).widget

    def has_output(self):
        return True

    def expected_parameters(self):
        return [self.parameter_name]

    def choices(self, changelist):
        yield {
            "selected": self.value is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "All",
        }
        yield {"selected": self.value is not None, "widget": self.widget_html(changelist), "count": self.chosen_count()}

    def chosen_count(self) -> int | None:
        """Return how many articles the chosen row has (one COUNT over an index), or None when none is chosen."""
        if self.value is None:
            return None
        return self.filter_queryset(Article.objects.order_by(), self.value).aggregate(n=Count("pk"))["n"]

    def widget_html(self, changelist):
        return self.widget.render(
            name=self.parameter_name,
            value=self.value,
            attrs={
                "id": f"filter_{self.parameter_name}",
                "data-filter-param": self.parameter_name,
                "data-filter-base": changelist.get_query_string(remove=[self.parameter_name, "p"]),
                "style": "width: 100%",
            },
        )

    def queryset(self, request, queryset):
        if self.value is None:
            return queryset
        return self.filter_queryset(queryset, self.value)

    def filter_queryset(self, queryset, pk):
        raise NotImplementedError


class SourceListFilter(AutocompleteListFilter):
    title = "source"
    parameter_name = "source"
    field_name = "source"

    def filter_queryset(self, queryset, pk):
        return queryset.filter(source_id=pk)


class AuthorListFilter(AutocompleteListFilter):
    title = "author"
    parameter_name = "author"
    field_name = "authors"

    def filter_queryset(self, queryset, pk):
        return queryset.filter(Exists(Byline.objects.filter(article=OuterRef("pk"), author_id=pk)))


class TopicListFilter(AutocompleteListFilter):
    """Articles on a topic or on any topic below it in the tree."""

    title = "topic (and subtopics)"
    parameter_name = "topic"
    field_name = "topics"

    def filter_queryset(self, queryset, pk):
        topic = Topic.objects.filter(pk=pk).first()
        ids = topic.descendant_ids() if topic else {pk}
        through = Article.topics.through
        return queryset.filter(Exists(through.objects.filter(article_id=OuterRef("pk"), topic_id__in=ids)))


class CountedListFilter(admin.SimpleListFilter):
    """A yes/no filter whose choices show their counts: `yes_count` counts the yes (one query), the no are the rest
    of all articles (from the status counts the list has already made)."""

    yes_label = no_label = ""

    def lookups(self, request, model_admin):
        yes = self.yes_count()
        total = sum(status_counts(request).values())
        return [("yes", counted(self.yes_label, yes)), ("no", counted(self.no_label, total - yes))]

    def yes_count(self) -> int:
        raise NotImplementedError


class StatusListFilter(admin.SimpleListFilter):
    """The workflow status, each with its count (the status links' own numbers: no query of its own)."""

    title = "status"
    parameter_name = STATUS_PARAMETER

    def lookups(self, request, model_admin):
        counts = status_counts(request)
        return [(value, counted(label, counts[value])) for value, label in Article.Status.choices]

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() in Article.Status.values else queryset


class WarningsListFilter(CountedListFilter):
    title = "import warnings"
    parameter_name = "warnings"
    yes_label, no_label = "Imported with warnings", "No warnings"

    def yes_count(self) -> int:
        return Article.objects.order_by().with_import_warnings().aggregate(n=Count("pk"))["n"]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.with_import_warnings()
        if self.value() == "no":
            return queryset.without_import_warnings()
        return queryset


class ScheduledListFilter(CountedListFilter):
    """Published articles whose publication time is still to come, which readers do not see yet."""

    title = "scheduling"
    parameter_name = "scheduled"
    yes_label, no_label = "Scheduled", "Not scheduled"

    def yes_count(self) -> int:  # the status index's range
        scheduled = Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())
        return scheduled.order_by().aggregate(n=Count("pk"))["n"]

    def queryset(self, request, queryset):
        scheduled = Q(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())
        if self.value() == "yes":
            return queryset.filter(scheduled)
        if self.value() == "no":
            return queryset.exclude(scheduled)
        return queryset


class DuplicateListFilter(CountedListFilter):
    title = "duplicates"
    parameter_name = "duplicate"
    yes_label, no_label = "Marked as duplicate", "Not a duplicate"

    def yes_count(self) -> int:  # the duplicate_of index
        return Article.objects.filter(duplicate_of__isnull=False).order_by().aggregate(n=Count("pk"))["n"]

    def queryset(self, request, queryset):
        if self.value() in {"yes", "no"}:
            return queryset.filter(duplicate_of__isnull=self.value() == "no")
        return queryset


class LanguageListFilter(admin.SimpleListFilter):
    """The languages of the articles, each with its count: one GROUP BY the language index."""

    title = "language"
    parameter_name = "language"

    def lookups(self, request, model_admin):
        counts = grouped_counts(Article.objects.all(), "language")
        return [(code, counted(code, counts[code])) for code in sorted(counts)]

    def queryset(self, request, queryset):
        return queryset.filter(language=self.value()) if self.value() else queryset


class ParentTopicListFilter(admin.SimpleListFilter):
    """Topics under a top-level topic; only the roots are listed, which stays short whatever the tree's size."""

    title = "branch"
    parameter_name = "branch"

    def lookups(self, request, model_admin):
        return [("root", "Top level only"), *Topic.objects.filter(parent=None).values_list("pk", "name")]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "root":
            return queryset.filter(parent=None)
        pk = parse_id(value) if value else None
        if pk is not None:
            topic = Topic.objects.filter(pk=pk).first()
            return queryset.filter(pk__in=topic.descendant_ids()) if topic else queryset.none()
        return queryset


class DocumentFilter(admin.SimpleListFilter):
    """The document (a feed's URL, a file's path) an import record's batch was split from: the seam where the
    failures inbox is filtered by feed. Lists the documents of the latest batches only, so it stays short."""

    title = "document"
    parameter_name = "document"
    LISTED = 50

    def lookups(self, request, model_admin):

        origins = ImportBatch.objects.exclude(origin="").order_by("-started_at").values_list("origin", flat=True)
        seen = list(dict.fromkeys(origins[: self.LISTED * 4]))[: self.LISTED]
        return [(origin, origin) for origin in seen]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(batch__origin=self.value())
        return queryset


class RetriedFilter(admin.SimpleListFilter):
    """Whether a record's raw bytes were imported again since (a retry or a re-derivation)."""

    title = "retried"
    parameter_name = "retried"

    def lookups(self, request, model_admin):
        return [("yes", "Retried"), ("no", "Not retried")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(was_retried=self.value() == "yes")
        return queryset


class StoryRowsListFilter(admin.SimpleListFilter):
    """One row per story: each story's lead only, with the story's number of copies and outlets beside it
    (`ArticleChangeList.get_results` looks the outlets up for the page)."""

    title = "stories"
    parameter_name = "stories"

    def lookups(self, request, model_admin):
        return [("one", "One row per story")]

    def queryset(self, request, queryset):
        if self.value() == "one":
            return queryset.filter(story__lead_id=F("pk")).annotate(story_size=F("story__size"))
        return queryset
