"""Serializers: what each resource looks like on the wire and which of its fields a client may write.

Every field list is explicit. Identity, fingerprints, provenance, counters and timestamps are read-only; an
article's status and publication time change only through the workflow actions, never through a plain write.
"""

import re
from collections.abc import Callable, Mapping

from django.db import transaction
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from taggit.models import Tag

from articles.api.permissions import sees_import_records
from articles.api.relations import attach_quotes
from articles.api.rendering import render_body_html
from articles.api.representation import CompiledRepresentationMixin
from articles.api.schema import SOME_TEXT
from articles.api.validation import ModelValidationMixin
from articles.ids import MAX_ID, parse_id
from articles.ingest.language import detect_language
from articles.models import (
    Article,
    Author,
    Byline,
    ImportBatch,
    ImportRecord,
    Source,
    Topic,
    sees_unpublished,
)
from articles.text import slug_for
from articles.workflow import require_publication_right


class StrictTypesMixin:
    """Refuse a number or a boolean where text is expected, text longer than its limit, and an object where a list
    of ids is.

    DRF would store `0` as "0", measure text after trimming its white space, and read a JSON object's keys as a
    list; the schema promises strings of at most the limit, and arrays.
    """

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            errors = {}
            for field in self._writable_fields:
                value = data.get(field.field_name)
                if value is None:
                    continue
                if isinstance(field, serializers.CharField) and not isinstance(value, str):
                    errors[field.field_name] = ["Not a valid string."]
                elif isinstance(field, serializers.CharField) and field.max_length and len(value) > field.max_length:
                    # measured as sent: DRF would trim white space first and let a longer value through
                    errors[field.field_name] = [f"Ensure this field has no more than {field.max_length} characters."]
                elif isinstance(field, serializers.ManyRelatedField) and not isinstance(value, list):
                    errors[field.field_name] = [f'Expected a list of items but got type "{type(value).__name__}".']
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class SparseFieldsMixin:
    """Keep only the fields named in `?fields=a,b,c` (top-level serializer only); an unknown name is a 400."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        wanted = requested_fields(request)
        if wanted is None:
            return
        shown = [name for name, field in self.fields.items() if not field.write_only]
        unknown = wanted - set(shown)
        if unknown:
            raise serializers.ValidationError(
                {"fields": [f"Unknown field(s): {', '.join(sorted(unknown))}. Choose from: {', '.join(shown)}."]}
            )
        for name in set(self.fields) - wanted:
            self.fields.pop(name)


def requested_fields(request) -> set[str] | None:
    """Return the field names a GET asked for with `?fields=`, or None when it asked for all of them."""
    if request is None or request.method != "GET":
        return None
    raw = request.query_params.get("fields", "").strip(" ")
    if not raw:
        return None
    return {name.strip(" ") for name in raw.split(",") if name.strip(" ")}


class QuoteSerializer(serializers.Serializer):
    """The shape of one of an article's `quotes` (for the schema)."""

    text = serializers.CharField()
    speaker = serializers.CharField(help_text="Who said it, as the piece names them; empty when it does not say.")


class StoryRefSerializer(serializers.Serializer):
    """The shape of an article's `story` (for the schema)."""

    id = serializers.IntegerField()
    size = serializers.IntegerField(help_text="How many articles of the story the reader may see.")


def story_of(article) -> dict | None:
    """The `story` of an article on the wire: `{"id", "size"}` (`story_size` attached by the view), or None."""
    if article.story_id is None:
        return None
    size = getattr(article, "story_size", None)
    if size is None:  # a path that does not attach sizes (an import's result, for the desk): the story's own
        size = article.story.size
    return {"id": article.story_id, "size": size}


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdField(serializers.PrimaryKeyRelatedField):
    """A primary key: a whole number (or its ASCII digits) that fits a 64-bit column.

    Anything else (a float, `Infinity`, `²`, a number no column holds) is a validation error, not a database error.
    """

    def to_internal_value(self, data):
        if isinstance(data, float) and data.is_integer():
            data = int(data)
        if not isinstance(data, int | str) or isinstance(data, bool):
            self.fail("incorrect_type", data_type=type(data).__name__)
        pk = parse_id(data)
        if pk is None:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(pk)


class ArticleCountField(serializers.IntegerField):
    """The number of articles the reader may see; a row just written has not been counted and shows 0."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance):
        return getattr(instance, "article_count", 0)


class SourceSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "name", "slug"]
        read_only_fields = fields


class TopicSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["id", "name", "slug"]
        read_only_fields = fields


class BylineSerializer(serializers.Serializer):
    """One author as credited on one article: who, what kind of byline, in which position and role."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    slug = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=Author.Kind.choices, read_only=True)
    role = serializers.CharField(read_only=True)
    position = serializers.IntegerField(read_only=True)


class BylineWriteSerializer(StrictTypesMixin, serializers.Serializer):
    author = IdField(queryset=Author.objects.all())
    role = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


@extend_schema_field({"type": "array", "items": {"type": "string", "maxLength": 100, "pattern": SOME_TEXT}})
class TagListField(serializers.Field):
    """Tags as a list of names (read from `tag_names`, see `attach_relations`); a write replaces the whole set."""

    # The attribute `CompiledRepresentationMixin` reads, as `get_attribute` does (the field's source stays `tags`,
    # the name writes take).
    read_from = "tag_names"

    def get_attribute(self, instance):
        return instance.tag_names

    def to_representation(self, names):
        return list(names)

    def representation_for(self, context) -> Callable[[list], list]:
        """The conversion `CompiledRepresentationMixin` uses: the same for every response."""
        return list

    def to_internal_value(self, data):
        if not isinstance(data, list) or not all(isinstance(item, str) for item in data):
            raise serializers.ValidationError("Expected a list of tag names.")
        if any("\x00" in item for item in data):
            raise serializers.ValidationError("Null characters are not allowed.")
        names = [" ".join(item.split()) for item in data]
        if any(not name or len(raw) > 100 for name, raw in zip(names, data, strict=True)):
            raise serializers.ValidationError("Each tag name needs 1 to 100 characters.")
        return list(dict.fromkeys(names))


@extend_schema_field({"type": "string", "format": "uri"})
class DetailUrlField(serializers.Field):
    """The absolute address of a row's detail view, from its primary key.

    The address is reversed once per serializer (per response), not once per row: a page of summaries would
    otherwise spend more on URL reversal than on everything else it shows.
    """

    PLACEHOLDER = "0"

    def __init__(self, view_name: str, **kwargs):
        self.view_name = view_name
        super().__init__(source="pk", read_only=True, **kwargs)

    def representation_for(self, context) -> Callable[[int], str]:
        """Return the conversion of a key to its address for the request in `context`."""
        address = absolute(context.get("request"), reverse(self.view_name, args=[self.PLACEHOLDER]))
        head, _, tail = address.rpartition(f"/{self.PLACEHOLDER}/")
        head, tail = f"{head}/", f"/{tail}"
        return lambda pk: f"{head}{pk}{tail}"

    def to_representation(self, pk) -> str:
        return self.representation_for(self.context)(pk)


@extend_schema_field({"type": "string", "format": "uri", "nullable": True})
class PublicPageField(serializers.Field):
    """The absolute address of the article's public reading page; null while readers may not see the article.

    Like `DetailUrlField`, the request's host is read once per response, not once per row.
    """

    def __init__(self, **kwargs):
        super().__init__(source="public_page", read_only=True, **kwargs)

    def representation_for(self, context) -> Callable[[str], str]:
        root = absolute(context.get("request"), "/")[:-1]
        return lambda path: f"{root}{path}"

    def to_representation(self, path) -> str:
        return self.representation_for(self.context)(path)


class ArticleListSerializer(CompiledRepresentationMixin, SparseFieldsMixin, serializers.ModelSerializer):
    """An article as a list shows it: everything but the body, plus the search rank and snippet when searching.

    The declared fields are the whole definition: the schema reads them, and `CompiledRepresentationMixin` turns
    them into the fast functions that build each row (a list page is the hottest path of the API). Relations come
    from `attach_relations`.
    """

    url = DetailUrlField("api:article-detail")
    link = PublicPageField(help_text="The article's public reading page (null until readers may see it).")
    source = SourceSummarySerializer(read_only=True, allow_null=True)
    authors = BylineSerializer(source="byline_rows", many=True, read_only=True)
    topics = TopicSummarySerializer(source="topic_rows", many=True, read_only=True)
    tags = serializers.ListField(source="tag_names", child=serializers.CharField(), read_only=True)
    reading_minutes = serializers.IntegerField(read_only=True)
    rank = serializers.SerializerMethodField()
    snippet = serializers.SerializerMethodField()
    story = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = [
            "id",
            "url",
            "link",
            "slug",
            "title",
            "summary",
            "status",
            "language",
            "published_at",
            "updated_at",
            "word_count",
            "reading_minutes",
            "source",
            "authors",
            "topics",
            "tags",
            "rank",
            "snippet",
            "story",
        ]
        read_only_fields = fields

    @extend_schema_field(StoryRefSerializer(allow_null=True))
    def get_story(self, article) -> dict | None:
        """Return the article's story: its id and how many articles of it the reader may see."""
        return story_of(article)

    def get_rank(self, article) -> float | None:
        """Return how well the article matches the search, higher is better (search results only)."""
        return getattr(article, "rank", None)

    def get_snippet(self, article) -> str | None:
        """Return the matching passage with `<mark>` around the hits (search results only); the rest is escaped."""
        return getattr(article, "snippet", None)


class ArticleDetailSerializer(
    CompiledRepresentationMixin, StrictTypesMixin, SparseFieldsMixin, ModelValidationMixin, serializers.ModelSerializer
):
    """An article in full, and the shape clients write: relations by id, tags by name.

    Its rows are built by `CompiledRepresentationMixin` like the list's: the detail and each event of the change feed
    (a page of full articles) would otherwise spend most of their time building field objects.
    """

    source = SourceSummarySerializer(read_only=True, allow_null=True)
    authors = BylineSerializer(source="byline_rows", many=True, read_only=True)
    topics = TopicSummarySerializer(source="topic_rows", many=True, read_only=True)
    tags = TagListField(required=False)
    body_html = serializers.SerializerMethodField()
    reading_minutes = serializers.IntegerField(read_only=True)
    link = PublicPageField(help_text="The article's public reading page (null until readers may see it).")
    links = serializers.SerializerMethodField()
    duplicate_of = serializers.SerializerMethodField()
    story = serializers.SerializerMethodField()
    quotes = serializers.SerializerMethodField()

    source_id = IdField(
        source="source", queryset=Source.objects.all(), allow_null=True, required=False, write_only=True
    )
    bylines = BylineWriteSerializer(many=True, required=False, write_only=True, help_text="Authors in byline order.")
    topic_ids = IdField(source="topics", queryset=Topic.objects.all(), many=True, required=False, write_only=True)

    class Meta:
        model = Article
        fields = [
            "id",
            "slug",
            "title",
            "summary",
            "body",
            "body_html",
            "status",
            "language",
            "published_at",
            "created_at",
            "updated_at",
            "word_count",
            "reading_minutes",
            "revision",
            "fingerprint",
            "external_id",
            "duplicate_of",
            "story",
            "source",
            "authors",
            "topics",
            "tags",
            "quotes",
            "link",
            "links",
            "source_id",
            "bylines",
            "topic_ids",
        ]
        read_only_fields = [
            "id",
            "status",
            "published_at",
            "created_at",
            "updated_at",
            "word_count",
            "revision",
            "fingerprint",
            "duplicate_of",
        ]
        extra_kwargs = {
            "slug": {"required": False, "allow_blank": True},
            "language": {
                "help_text": "Language code, for example `en`. Left out of a new article, it is read from the title "
                "and body (`en` when they are too short to tell); a code sent is kept as sent."
            },
        }

    def get_body_html(self, article) -> str:
        return render_body_html(article.body)

    @extend_schema_field(QuoteSerializer(many=True))
    def get_quotes(self, article) -> list[dict]:
        """Return the article's direct quotations and who said them ("" when the piece does not say), in order."""
        if not hasattr(article, "quote_rows"):
            attach_quotes([article])
        return article.quote_rows

    @extend_schema_field(StoryRefSerializer(allow_null=True))
    def get_story(self, article) -> dict | None:
        """Return the article's story: its id and how many articles of it the reader may see."""
        return story_of(article)

    def get_duplicate_of(self, article) -> int | None:
        """Return the id of the article this one duplicates, when the reader may see that one (else null)."""
        if article.duplicate_of_id is None:
            return None
        visible = getattr(article, "duplicate_of_visible", None)  # attached for a page (attach_duplicate_visibility)
        if visible is None:
            request = self.context.get("request")
            user = request.user if request is not None else None
            visible = sees_unpublished(user) or Article.objects.published().filter(pk=article.duplicate_of_id).exists()
        return article.duplicate_of_id if visible else None

    @extend_schema_field(
        {
            "type": "object",
            "properties": {name: {"type": "string", "format": "uri"} for name in ("self", "source", "imports")},
            "required": ["self"],
        }
    )
    def get_links(self, article) -> dict:
        addresses = self.__dict__.get("_link_addresses")
        if addresses is None:  # reversed once per response, not once per article of a page
            addresses = self._link_addresses = self._addresses_of_links()
        article_address, source_address, imports_address = addresses
        links = {"self": article_address(article.pk)}
        if article.source_id:
            links["source"] = source_address(article.source_id)
        if imports_address is not None:
            links["imports"] = imports_address(article.pk)
        return links

    def _addresses_of_links(self):
        """Return the functions from a key to each address of `links` (the imports' None without the right)."""
        request = self.context.get("request")
        article_address = DetailUrlField("api:article-detail").representation_for(self.context)
        source_address = DetailUrlField("api:source-detail").representation_for(self.context)
        imports_address = None
        if request is not None and sees_import_records(request.user):
            imports = absolute(request, reverse("api:import-list"))
            imports_address = lambda pk: f"{imports}?article={pk}"  # noqa: E731
        return article_address, source_address, imports_address

    def validate(self, attrs):
        instance = self.instance
        request = self.context.get("request")
        # Status and publication time are read-only here, so this refuses nothing today; it keeps a writable one
        # from ever bypassing the rule.
        require_publication_right(
            request.user if request is not None else None,
            instance,
            status=attrs.get("status", instance.status if instance else Article.Status.DRAFT),
            published_at=attrs.get("published_at", instance.published_at if instance else None),
        )
        if not attrs.get("slug"):
            attrs["slug"] = self.derived_slug(attrs)
        if instance is None and "language" not in attrs:
            detected = detect_language(f"{attrs.get('title', '')}\n{attrs.get('body', '')}")
            if detected:
                attrs["language"] = detected
        bylines = attrs.get("bylines")
        if bylines is not None:
            author_ids = [b["author"].pk for b in bylines]
            if len(author_ids) != len(set(author_ids)):
                raise serializers.ValidationError({"bylines": "An author can appear only once on a byline."})
        return super().validate(attrs)  # the model's rules: identity, duplicate text (ModelValidationMixin)

    def derived_slug(self, attrs) -> str:
        """Return the slug of a write that sends none: the article's own or one made from its title, numbered when
        another article of the same source has it."""
        instance = self.instance
        source = attrs.get("source", instance.source if instance else None)
        title = attrs.get("title", instance.title if instance else "")
        slug = (instance.slug if instance else "") or slug_for(title)
        same_place = Article.objects.filter(source=source) if source else Article.objects.filter(source__isnull=True)
        if instance is not None:
            same_place = same_place.exclude(pk=instance.pk)
        return same_place.free_slug(slug)

    @transaction.atomic
    def create(self, validated_data):
        relations = self._pop_relations(validated_data)
        article = Article.objects.create(**validated_data)
        self._set_relations(article, *relations)
        return article

    @transaction.atomic
    def update(self, instance, validated_data):
        relations = self._pop_relations(validated_data)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        instance.save()
        self._set_relations(instance, *relations)
        return instance

    @staticmethod
    def _pop_relations(validated_data):
        return (
            validated_data.pop("bylines", None),
            validated_data.pop("topics", None),
            validated_data.pop("tags", None),
        )

    @staticmethod
    def _set_relations(article, bylines, topics, tags):
        if bylines is not None:
            article.bylines.all().delete()
            Byline.objects.bulk_create(
                Byline(article=article, author=b["author"], position=position, role=b.get("role", ""))
                for position, b in enumerate(bylines)
            )
        if topics is not None:
            article.topics.set(topics)
        if tags is not None:
            article.tags.set(tags)


class PublishSerializer(StrictTypesMixin, serializers.Serializer):
    at = serializers.DateTimeField(
        required=False, help_text="Publication time; a future time schedules the article. Default: now."
    )


class DerivedSlugMixin:
    """A slug left out is derived from the name, as the model does (whether it is free is the model's rule)."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is None and not attrs.get("slug"):
            attrs["slug"] = slug_for(attrs.get("name", ""))
        return attrs


class AuthorSerializer(StrictTypesMixin, ModelValidationMixin, DerivedSlugMixin, serializers.ModelSerializer):
    article_count = ArticleCountField()

    class Meta:
        model = Author
        fields = ["id", "name", "slug", "kind", "bio", "article_count", "created_at", "updated_at"]
        read_only_fields = ["id", "article_count", "created_at", "updated_at"]
        extra_kwargs = {"slug": {"required": False}}


# An outlet's web address: http(s), a host name with a top-level domain, an optional port, and a path and query in
# printable ASCII (percent-encode the rest); or nothing. The same pattern is the schema's, so what the schema calls
# valid is what the API accepts.
HOMEPAGE_PATTERN = (
    r"^https?://(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
    r"(?::[0-9]{1,5})?(?:[/?#][!-~]*)?$"
)


@extend_schema_field({"type": "string", "maxLength": 200, "pattern": HOMEPAGE_PATTERN})
class HomepageField(serializers.CharField):
    """An outlet's web address matched whole against HOMEPAGE_PATTERN (as sent: nothing is trimmed), or empty."""

    default_error_messages = {"invalid": "Enter an http(s) address with a host name, such as https://news.example/."}

    def __init__(self, **kwargs):
        super().__init__(max_length=200, allow_blank=True, trim_whitespace=False, **kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value and not re.fullmatch(HOMEPAGE_PATTERN, value):
            self.fail("invalid")
        return value


class SourceSerializer(StrictTypesMixin, ModelValidationMixin, DerivedSlugMixin, serializers.ModelSerializer):
    article_count = ArticleCountField()
    homepage_url = HomepageField(required=False, help_text="The outlet's web address (http or https), or empty.")

    class Meta:
        model = Source
        fields = ["id", "name", "slug", "kind", "homepage_url", "article_count", "created_at", "updated_at"]
        read_only_fields = ["id", "article_count", "created_at", "updated_at"]
        extra_kwargs = {"slug": {"required": False}}


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class WordListField(serializers.JSONField):
    """A list of words, stored as JSON (`TopicSerializer.validate_keywords` checks the shape)."""


class TopicSerializer(StrictTypesMixin, ModelValidationMixin, DerivedSlugMixin, serializers.ModelSerializer):
    """A topic with its place in the tree: its parent and its direct children."""

    article_count = ArticleCountField()
    keywords = WordListField(required=False, help_text="Words that suggest this topic.")
    parent = IdField(queryset=Topic.objects.all(), allow_null=True, required=False)
    children = IdField(many=True, read_only=True)

    class Meta:
        model = Topic
        fields = [
            "id",
            "name",
            "slug",
            "parent",
            "children",
            "description",
            "iptc_code",
            "keywords",
            "article_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "children", "article_count", "created_at", "updated_at"]
        extra_kwargs = {"slug": {"required": False}}

    def validate_keywords(self, value):
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise serializers.ValidationError("Expected a list of words.")
        if any("\x00" in item for item in value):
            raise serializers.ValidationError("Null characters are not allowed.")
        return value


class TagSerializer(StrictTypesMixin, serializers.ModelSerializer):
    """A tag; its slug is derived from the name by taggit (made unique with a number when needed)."""

    article_count = ArticleCountField()
    slug = serializers.CharField(read_only=True)

    class Meta:
        model = Tag
        fields = ["id", "name", "slug", "article_count"]
        read_only_fields = ["id", "slug", "article_count"]

    def validate_name(self, value):
        others = Tag.objects.exclude(pk=self.instance.pk) if self.instance else Tag.objects.all()
        if others.filter(name__iexact=value).exists():
            raise serializers.ValidationError("A tag with this name already exists.")
        return value


class ImportRecordSerializer(serializers.ModelSerializer):
    """One import attempt as it was recorded: the raw text verbatim, the outcome and every cleaning edit."""

    raw_text = serializers.CharField(read_only=True)
    channel = serializers.CharField(source="batch.channel", read_only=True)

    class Meta:
        model = ImportRecord
        fields = [
            "id",
            "batch",
            "channel",
            "article",
            "origin",
            "outcome",
            "error",
            "encoding",
            "raw_sha256",
            "raw_size",
            "raw_text",
            "warnings",
            "edits",
            "created_at",
        ]
        read_only_fields = fields


class ImportRequestSerializer(StrictTypesMixin, serializers.Serializer):
    text = serializers.CharField(trim_whitespace=False, help_text="The piece, exactly as received.")
    source = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="The outlet, when the piece does not name it."
    )


class ImportUploadFieldsSerializer(StrictTypesMixin, serializers.Serializer):
    """The form fields beside the files of a multipart import: one more piece as text, and the outlet."""

    text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    source = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ImportResultSerializer(serializers.Serializer):
    origin = serializers.CharField()
    outcome = serializers.ChoiceField(choices=ImportRecord.Outcome.choices)
    article_id = serializers.IntegerField(allow_null=True)
    record_id = serializers.IntegerField(allow_null=True)
    title = serializers.CharField(allow_blank=True, allow_null=True)
    warnings = serializers.ListField(child=serializers.CharField())
    error = serializers.CharField(allow_blank=True, allow_null=True)
    article = ArticleDetailSerializer(allow_null=True, read_only=True)


class ImportBatchSerializer(serializers.ModelSerializer):
    """One import run as its owner and the editors see it: where it stands, and what became of its pieces so far.

    The pieces themselves (their raw bytes) are not here: `records` lists each piece's outcome, and editors read
    the raw text through `import_records` (the import records' resource, which only they may read)."""

    url = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    pieces = serializers.SerializerMethodField(help_text="Every piece of the import: recorded and still queued.")
    pending = serializers.IntegerField(read_only=True, help_text="Pieces still waiting for a worker.")
    recorded = serializers.IntegerField(read_only=True, help_text="Pieces with an import record (an outcome).")
    counts = serializers.SerializerMethodField(help_text="The recorded pieces by outcome, every outcome named.")
    records = serializers.SerializerMethodField(help_text="The pieces' outcomes, a page at a time.")
    import_records = serializers.SerializerMethodField(
        help_text="The batch's import records with their raw text (editors only; null for others)."
    )

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "url",
            "channel",
            "status",
            "pieces",
            "pending",
            "recorded",
            "counts",
            "started_at",
            "finished_at",
            "attempts",
            "error",
            "records",
            "import_records",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=["queued", "running", "finished", "interrupted", "failed"]))
    def get_status(self, batch) -> str:
        return batch.reported_status

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField()))
    def get_counts(self, batch) -> dict[str, int]:
        stored = batch.counts or {}
        return {outcome: int(stored.get(outcome, 0)) for outcome in ImportRecord.Outcome.values}

    def get_pieces(self, batch) -> int:
        return batch.pending + batch.recorded

    def get_url(self, batch) -> str:
        return absolute(self.context.get("request"), reverse("api:import-batch-detail", args=[batch.pk]))

    def get_records(self, batch) -> str:
        return absolute(self.context.get("request"), reverse("api:import-batch-records", args=[batch.pk]))

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_import_records(self, batch) -> str | None:
        request = self.context.get("request")
        if request is None or not request.user.has_perm("articles.view_importrecord"):
            return None
        return absolute(request, reverse("api:import-list") + f"?batch={batch.pk}")


class ImportBatchRecordSerializer(serializers.ModelSerializer):
    """What became of one piece of a batch: its outcome and article, without the raw bytes."""

    class Meta:
        model = ImportRecord
        fields = ["id", "origin", "outcome", "article", "error", "warnings", "created_at"]
        read_only_fields = fields


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path
