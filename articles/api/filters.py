"""Query-string filters, one FilterSet per resource.

Relations are named by id or slug, several at once with commas or by repeating the parameter (`source=bbc,7`,
`topic=3&topic=7`: any of them); every list takes `include` and `exclude` (ids, comma-separated), and the
resources with slugs take `slug` (slugs, comma-separated). A value made only of digits is an id.

A value that names nothing (an unknown source, author, topic or tag slug, a status or ordering that does not exist,
a malformed date) is a 400 with the reason, not an empty list: a typo should be visible to the client.
Relations are filtered through `id IN (subquery)` rather than joins, so an article never appears twice.
"""

import re
from datetime import UTC

import django_filters as filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django_filters.fields import IsoDateTimeField
from django_filters.filters import QuerySetRequestMixin
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError
from taggit.models import Tag, TaggedItem

from articles.ids import MAX_ID, parse_id
from articles.models import (
    Article,
    Author,
    Byline,
    Feed,
    ImportRecord,
    Quote,
    Source,
    Story,
    Topic,
    WebhookEndpoint,
    tags_visible_to,
)

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


MAX_LIST_ITEMS = 1000
LIST_PATTERN = "^[-a-zA-Z0-9_, ]*$"
# Ids from 1, up to 18 digits (below 2^63), separated by commas; empty items are dropped.
IDS_PATTERN = "^[ ,]*(?:[1-9][0-9]{0,17} *(?:,[ ,]*|$))*$"


MAX_LIST_LENGTH = 2000


class CommaListWidget(forms.SelectMultiple):
    """Every value of a repeatable parameter, each split at its commas (`a,b&c` is `a`, `b`, `c`); blanks dropped."""

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name, "")]
        return [part.strip() for value in values for part in str(value).split(",") if part.strip()]


class RawListWidget(forms.SelectMultiple):
    """Every value of a repeatable parameter, as sent (the field checks each against the schema, then splits it)."""

    def value_from_datadict(self, data, files, name):
        return [str(value) for value in data.getlist(name)] if hasattr(data, "getlist") else [data.get(name, "")]


class CommaListField(forms.Field):
    """Comma-separated values: each value as sent within the schema's length and pattern, then split at commas."""

    widget = RawListWidget
    pattern = LIST_PATTERN

    def split(self, values) -> list[str]:
        parts = []
        for value in values or []:
            if len(value) > MAX_LIST_LENGTH or not re.fullmatch(self.pattern, value):
                shown = value[:50]
                raise forms.ValidationError(
                    f"Expected comma-separated values of at most {MAX_LIST_LENGTH} characters in all, got {shown!r}.",
                    code="invalid",
                )
            parts += [part.strip() for part in value.split(",") if part.strip()]
        if len(parts) > MAX_LIST_ITEMS:
            raise forms.ValidationError(f"At most {MAX_LIST_ITEMS} values.", code="invalid")
        return parts

    def clean(self, value):
        return self.split(value)


class IdsField(CommaListField):
    """Record ids, comma-separated or repeated; each a whole number from 1 to the largest 64-bit id."""

    pattern = IDS_PATTERN

    def clean(self, value):
        ids = []
        for raw in self.split(value):
            pk = parse_id(raw)
            if pk is None:
                raise forms.ValidationError(f"{raw[:50]!r} is not an id (a whole number from 1).", code="invalid")
            ids.append(pk)
        return ids


class IdsOrSlugsField(CommaListField):
    """Rows named by id or slug (mixed), each of which must name a row the reader may know of (else a 400)."""

    def __init__(self, *args, queryset=None, **kwargs):
        self.queryset = queryset
        super().__init__(*args, **kwargs)

    def clean(self, value):
        values = self.split(value)
        if not values:
            return []
        ids = {parse_id(raw) for raw in values if raw.isascii() and raw.isdigit()}
        if None in ids:
            raise forms.ValidationError("An id is a whole number from 1 to 2^63 - 1.", code="invalid")
        slugs = {raw for raw in values if not (raw.isascii() and raw.isdigit())}
        rows = list(self.queryset.filter(Q(pk__in=ids) | Q(slug__in=slugs)))
        named = {row.pk for row in rows} | {row.slug for row in rows}
        missing = [raw for raw in values if (int(raw) if raw.isascii() and raw.isdigit() else raw) not in named]
        if missing:
            shown = ", ".join(repr(raw[:50]) for raw in missing[:5])
            raise forms.ValidationError(f"Nothing you may see has this id or slug: {shown}.", code="invalid_choice")
        return rows


@extend_schema_field({"type": "string", "pattern": LIST_PATTERN, "maxLength": MAX_LIST_LENGTH})
class IdsOrSlugsFilter(QuerySetRequestMixin, filters.Filter):
    """Rows by id or slug, comma-separated or repeated: articles related to any of them."""

    field_class = IdsOrSlugsField


@extend_schema_field({"type": "string", "pattern": IDS_PATTERN, "maxLength": MAX_LIST_LENGTH})
class IdsFilter(filters.Filter):
    field_class = IdsField


@extend_schema_field({"type": "string", "pattern": LIST_PATTERN, "maxLength": MAX_LIST_LENGTH})
class SlugListFilter(filters.Filter):
    """Slugs, comma-separated or repeated: the rows with any of them."""

    field_class = CommaListField

    def filter(self, queryset, value):
        return queryset.filter(slug__in=value) if value else queryset


class ChoicesFilter(filters.MultipleChoiceFilter):
    """Choices, comma-separated or repeated (`status=draft,review`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, widget=CommaListWidget, **kwargs)


class FilterSet(filters.FilterSet):
    """A filter set whose form class is built once per filter set class, not on every request.

    django-filter builds it from the filter set's filters, which are the same declared filters for every request
    here; every form instance still gets its own copy of the fields, as with any Django form. A choice whose rows
    depend on the reader (`queryset=` a callable of the request) is given its queryset on each form, since the
    shared class holds the rows of whichever request built it.
    """

    include = IdsFilter(field_name="pk", lookup_expr="in", help_text="Only these ids (comma-separated).")
    exclude = IdsFilter(field_name="pk", lookup_expr="in", exclude=True, help_text="Not these ids (comma-separated).")

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


class ArticleFilter(FilterSet):
    # A status or a source is one value per article: no join can repeat a row, so no DISTINCT is needed.
    status = ChoicesFilter(
        choices=Article.Status.choices,
        distinct=False,
        help_text="Workflow status (repeatable, or comma-separated); readers without editorial rights see "
        "published only.",
    )
    source = IdsOrSlugsFilter(
        field_name="source",
        lookup_expr="in",
        distinct=False,
        queryset=visible_sources,
        help_text="Sources by slug or id, comma-separated or repeated (`source=bbc,7`): articles from any of them.",
    )
    author = IdsOrSlugsFilter(
        queryset=visible_authors,
        method="filter_author",
        help_text="Authors by slug or id, comma-separated or repeated, in any byline position: any of them.",
    )
    topic = IdsOrSlugsFilter(
        queryset=Topic.objects.all(),
        method="filter_topic",
        help_text="Topics by slug or id, comma-separated or repeated (`topic=3,7`); articles of their subtopics "
        "are included.",
    )
    tag = IdsOrSlugsFilter(
        queryset=visible_tags,
        method="filter_tag",
        help_text="Tags by slug or id, comma-separated or repeated; see `tag_match`.",
    )
    tag_match = filters.ChoiceFilter(
        choices=[("any", "any"), ("all", "all")],
        method="keep",
        help_text="With several tags: articles with any of them (default) or all of them.",
    )
    slug = SlugListFilter(help_text="Article slugs, comma-separated: the articles with any of them.")
    language = filters.CharFilter(max_length=12, help_text="Language code, for example `en`.")
    story = filters.NumberFilter(method="filter_story", help_text="Story id: the articles of one story.")
    speaker = filters.CharFilter(
        max_length=200,
        method="filter_speaker",
        help_text="Part of a speaker's name: the articles quoting someone whose name contains it (any case).",
    )
    published_after = UtcDateTimeFilter(
        field_name="published_at", lookup_expr="gte", help_text="Only articles published at or after this time."
    )
    published_before = UtcDateTimeFilter(
        field_name="published_at", lookup_expr="lte", help_text="Only articles published at or before this time."
    )
    updated_since = UtcDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", help_text="Only articles changed at or after this time."
    )
    ordering = filters.ChoiceFilter(
        choices=ARTICLE_ORDERINGS, method="filter_ordering", help_text="The order of the results (see the values)."
    )

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
        if not authors:  # an absent filter arrives as an empty list (IdsOrSlugsField)
            return queryset
        return queryset.filter(id__in=Byline.objects.filter(author__in=authors).values("article_id"))

    def filter_topic(self, queryset, name, topics):
        if not topics:
            return queryset
        ids = set().union(*(topic.descendant_ids() for topic in topics))
        return queryset.filter(id__in=Article.topics.through.objects.filter(topic_id__in=ids).values("article_id"))

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
    kind = filters.ChoiceFilter(choices=Author.Kind.choices, help_text="Kind of author.")
    name = filters.CharFilter(lookup_expr="icontains", max_length=200, help_text="Part of the name.")
    slug = SlugListFilter(help_text="Author slugs, comma-separated.")

    class Meta:
        model = Author
        fields = []


class SourceFilter(FilterSet):
    kind = filters.ChoiceFilter(choices=Source.Kind.choices, help_text="Kind of source.")
    name = filters.CharFilter(lookup_expr="icontains", max_length=200, help_text="Part of the name.")
    slug = SlugListFilter(help_text="Source slugs, comma-separated.")

    class Meta:
        model = Source
        fields = []


class TopicFilter(FilterSet):
    parent = IdsOrSlugsFilter(
        field_name="parent",
        lookup_expr="in",
        queryset=Topic.objects.all(),
        help_text="Topics by slug or id, comma-separated: only their direct children.",
    )
    slug = SlugListFilter(help_text="Topic slugs, comma-separated.")
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
    slug = SlugListFilter(help_text="Tag slugs, comma-separated.")

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
    outcome = ChoicesFilter(
        choices=ImportRecord.Outcome.choices, help_text="Outcomes (repeatable, or comma-separated)."
    )
    article = IdFilter(field_name="article_id", help_text="Only the records of this article.")
    batch = IdFilter(field_name="batch_id", help_text="Only the records of this import batch.")
    since = UtcDateTimeFilter(
        field_name="created_at", lookup_expr="gte", help_text="Only records made at or after this time (ISO 8601)."
    )

    class Meta:
        model = ImportRecord
        fields = []


class FeedFilter(FilterSet):
    class Meta:
        model = Feed
        fields = []


class StoryFilter(FilterSet):
    class Meta:
        model = Story
        fields = []


class WebhookEndpointFilter(FilterSet):
    class Meta:
        model = WebhookEndpoint
        fields = []
