"""Query-string filters, one FilterSet per resource.

A value that names nothing (an unknown source, author, topic or tag slug, a status or ordering that does not exist,
a malformed date) is a 400 with the reason, not an empty list: a typo should be visible to the client.
Relations are filtered through `id IN (subquery)` rather than joins, so an article never appears twice.
"""

from datetime import UTC

import django_filters as filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django_filters.fields import IsoDateTimeField, ModelMultipleChoiceField
from django_filters.filters import QuerySetRequestMixin
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError
from taggit.models import Tag, TaggedItem

from articles.ids import MAX_ID, parse_id
from articles.models import Article, Author, Byline, ImportRecord, Quote, Source, Topic, tags_visible_to

ARTICLE_ORDERINGS = [
    ("-published_at", "Newest publication first (the default)"),
    ("published_at", "Oldest publication first"),
    ("-updated_at", "Most recently changed first"),
    ("updated_at", "Least recently changed first (for syncing)"),
    ("title", "Title A-Z"),
    ("-title", "Title Z-A"),
    ("relevance", "Best match first (with search only; the default when searching)"),
]


class UtcDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time, converted to UTC; an offset or year no database column can hold is a 400."""

    def to_python(self, value):
        result = super().to_python(value)
        try:
            return result.astimezone(UTC) if result is not None else None
        except OverflowError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class UtcDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


class SlugsField(ModelMultipleChoiceField):
    """Django's field cleans an absent value to `queryset.none()`, which each `if not value` then compiles into SQL;
    an absent filter here is a plain empty list."""

    def clean(self, value):
        if not value and not self.required:
            return []
        return super().clean(value)


@extend_schema_field(OpenApiTypes.STR)  # each value; the schema lists them as a repeatable parameter
class SlugsFilter(filters.ModelMultipleChoiceFilter):
    """One or several slugs (`?tag=a&tag=b`), each of which must name an existing row."""

    field_class = SlugsField


class FilterSet(filters.FilterSet):
    """A filter set whose form class is built once per filter set class, not on every request.

    django-filter builds it from the filter set's filters, which are the same declared filters for every request
    here; every form instance still gets its own copy of the fields, as with any Django form. A choice whose rows
    depend on the reader (`queryset=` a callable of the request) is given its queryset on each form, since the
    shared class holds the rows of whichever request built it.
    """

    def get_form_class(self):
        form_class = type(self).__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            type(self)._form_class = form_class
        return form_class

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            for name, declared in self.filters.items():
                if isinstance(declared, QuerySetRequestMixin) and callable(declared.queryset):
                    form.fields[name].queryset = declared.get_queryset(self.request)
        return self._form


def reader(request):
    return getattr(request, "user", None)


def visible_sources(request):
    """The sources a filter may name: those the reader may know of (an unpublished one is as unknown as none)."""
    return Source.objects.visible_to(reader(request))


def visible_authors(request):
    return Author.objects.visible_to(reader(request))


def visible_tags(request):
    return tags_visible_to(reader(request))


@extend_schema_field(OpenApiTypes.STR)
class SlugFilter(filters.ModelChoiceFilter):
    """A slug that must name an existing row."""


class ArticleFilter(FilterSet):
    # A status or a source is one value per article: no join can repeat a row, so no DISTINCT is needed.
    status = filters.MultipleChoiceFilter(
        choices=Article.Status.choices,
        distinct=False,
        help_text="Workflow status; readers without editorial rights see published only.",
    )
    source = SlugsFilter(
        field_name="source__slug",
        distinct=False,
        to_field_name="slug",
        queryset=visible_sources,
        help_text="Source slug (repeatable).",
    )
    author = SlugsFilter(
        to_field_name="slug",
        queryset=visible_authors,
        method="filter_author",
        help_text="Author slug, in any byline position (repeatable: any of them).",
    )
    topic = SlugFilter(
        to_field_name="slug",
        queryset=Topic.objects.all(),
        method="filter_topic",
        help_text="Topic slug; articles of its subtopics are included.",
    )
    tag = SlugsFilter(
        to_field_name="slug",
        queryset=visible_tags,
        method="filter_tag",
        help_text="Tag slug (repeatable); see `tag_match`.",
    )
    tag_match = filters.ChoiceFilter(
        choices=[("any", "any"), ("all", "all")],
        method="keep",
        help_text="With several tags: articles with any of them (default) or all of them.",
    )
    language = filters.CharFilter(max_length=12, help_text="Language code, for example `en`.")
    story = filters.NumberFilter(method="filter_story", help_text="Story id: the articles of one story.")
    speaker = filters.CharFilter(
        max_length=200,
        method="filter_speaker",
        help_text="Part of a speaker's name: the articles quoting someone whose name contains it (any case).",
    )
    published_after = UtcDateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = UtcDateTimeFilter(field_name="published_at", lookup_expr="lte")
    updated_since = UtcDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", help_text="Only articles changed at or after this time."
    )
    ordering = filters.ChoiceFilter(choices=ARTICLE_ORDERINGS, method="filter_ordering")

    class Meta:
        model = Article
        fields = []

    def filter_story(self, queryset, name, value):
        """A story id is a whole number (else a 400); one no story can have (out of range) matches nothing."""
        if value != value.to_integral_value():
            raise ValidationError({"story": ["A story id is a whole number."]})
        pk = parse_id(int(value))
        return queryset.filter(story_id=pk) if pk is not None else queryset.none()

    def filter_speaker(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(id__in=Quote.objects.by_speaker(value).values("article_id"))

    def filter_author(self, queryset, name, authors):
        if not authors:  # an absent filter arrives as an empty list (SlugsField)
            return queryset
        return queryset.filter(id__in=Byline.objects.filter(author__in=authors).values("article_id"))

    def filter_topic(self, queryset, name, topic):
        return queryset.filter(
            id__in=Article.topics.through.objects.filter(topic_id__in=topic.descendant_ids()).values("article_id")
        )

    def filter_tag(self, queryset, name, tags):
        if not tags:
            return queryset
        tagged = TaggedItem.objects.filter(content_type=ContentType.objects.get_for_model(Article))
        if self.form.cleaned_data.get("tag_match") == "all":
            for tag in tags:
                queryset = queryset.filter(id__in=tagged.filter(tag=tag).values("object_id"))
            return queryset
        return queryset.filter(id__in=tagged.filter(tag__in=tags).values("object_id"))

    def keep(self, queryset, name, value):
        return queryset

    def filter_ordering(self, queryset, name, value):
        if value == "relevance":
            if not self.request.query_params.get("search", "").strip():
                raise ValidationError({"ordering": ["Ordering by relevance needs a `search` term."]})
            return queryset  # the search ranks the matches (api/backends.py), the paginator pages them best first
        return queryset.order_by(value, "-id" if value.startswith("-") else "id")


class AuthorFilter(FilterSet):
    kind = filters.ChoiceFilter(choices=Author.Kind.choices)
    name = filters.CharFilter(lookup_expr="icontains", max_length=200, help_text="Part of the name.")

    class Meta:
        model = Author
        fields = []


class SourceFilter(FilterSet):
    kind = filters.ChoiceFilter(choices=Source.Kind.choices)
    name = filters.CharFilter(lookup_expr="icontains", max_length=200, help_text="Part of the name.")

    class Meta:
        model = Source
        fields = []


class TopicFilter(FilterSet):
    parent = SlugFilter(
        to_field_name="slug", queryset=Topic.objects.all(), help_text="Only the direct children of this topic."
    )
    root = filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_root",
        help_text="`true`: only top-level topics; `false`: only subtopics.",
    )

    class Meta:
        model = Topic
        fields = []

    def filter_root(self, queryset, name, value):
        return queryset.filter(parent__isnull=value == "true")


class TagFilter(FilterSet):
    name = filters.CharFilter(lookup_expr="icontains", max_length=100, help_text="Part of the name.")

    class Meta:
        model = Tag
        fields = []


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(filters.NumberFilter):
    """A record's id: a whole number from 1 to the largest 64-bit id (`1.5`, `1e10` or `²` are a 400)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=MAX_ID, **kwargs)


class ImportRecordFilter(FilterSet):
    outcome = filters.MultipleChoiceFilter(choices=ImportRecord.Outcome.choices)
    article = IdFilter(field_name="article_id", help_text="Only the records of this article.")
    batch = IdFilter(field_name="batch_id", help_text="Only the records of this import batch.")
    since = UtcDateTimeFilter(field_name="created_at", lookup_expr="gte")

    class Meta:
        model = ImportRecord
        fields = []
