"""API views: generic viewsets for the resources, thin actions for the workflow, one view for imports.

What a reader may see is decided here, in `get_queryset`: without `articles.view_article` a reader sees published
articles whose publication time has come, and only the authors, sources and tags credited on them; anything else is
a 404, never a 403, so drafts do not reveal that they exist.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from taggit.models import Tag, TaggedItem

from articles import workflow
from articles.api import conditional
from articles.api.backends import COLLAPSE_PARAM, FullTextSearchBackend, StoryCollapseBackend
from articles.api.filtering import FilterBackend, KnownParametersMixin
from articles.api.filters import (
    ArticleFilter,
    AuthorFilter,
    ImportRecordFilter,
    SourceFilter,
    TagFilter,
    TopicFilter,
)
from articles.api.incoming import incoming_pieces
from articles.api.pagination import ArticlePagination
from articles.api.parsers import LimitedJSONParser, LimitedMultiPartParser, PlainTextParser
from articles.api.permissions import ImportPermission, audience, detail_audience
from articles.api.preconditions import require_current
from articles.api.relations import attach_quotes, attach_relations
from articles.api.serializers import (
    ArticleDetailSerializer,
    ArticleListSerializer,
    AuthorSerializer,
    ImportBatchRecordSerializer,
    ImportBatchSerializer,
    ImportRecordSerializer,
    ImportRequestSerializer,
    ImportResultSerializer,
    PublishSerializer,
    SourceSerializer,
    TagSerializer,
    TopicSerializer,
    requested_fields,
)
from articles.api.stories import attach_story_sizes, story_size
from articles.ids import parse_id
from articles.models import Article, Author, Byline, ImportBatch, ImportRecord, Source, Topic, tags_visible_to

# What the first read of a list page takes: the keys and stamps of the validators, and the cursor orderings' values.
PROBED = ("id", "revision", "updated_at", "published_at")
ARTICLE_KEY = OpenApiParameter(
    "key",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The article's id, or its slug (with `?source=<source slug>` when two sources use the same slug).",
)
SLUG_SOURCE = OpenApiParameter(
    "source", OpenApiTypes.STR, description="With a slug key: the source slug, when the slug alone is ambiguous."
)
FIELDS = OpenApiParameter(
    "fields", OpenApiTypes.STR, description="Comma-separated field names to return, e.g. `id,title,published_at`."
)

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The `ETag` of your last read of this address: a change made since is refused with a 412 and the "
    "current revision (a `revision` in the body is checked the same way). `*` or no header: no check.",
)
STALE_WRITE = OpenApiResponse(
    description="The article changed since the version this write started from (`If-Match` or `revision`); the "
    "problem's `revision` is the current one."
)

CHECKED_WRITE = {200: ArticleDetailSerializer, 412: STALE_WRITE}


def count_of(related, key: str):
    """Return the number of `related` rows as a subquery (0 when none); `related` is correlated on `key`."""
    counted = related.order_by().values(key).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted[:1], output_field=IntegerField()), 0)


class AtomicWritesMixin:
    """Run each write in a savepoint, so a refused write (409) leaves the connection usable."""

    def perform_create(self, serializer):
        with transaction.atomic():
            super().perform_create(serializer)

    def perform_update(self, serializer):
        with transaction.atomic():
            super().perform_update(serializer)

    def perform_destroy(self, instance):
        with transaction.atomic():
            super().perform_destroy(instance)


@extend_schema_view(
    list=extend_schema(parameters=[FIELDS], summary="List articles (summaries, no body)"),
    retrieve=extend_schema(parameters=[ARTICLE_KEY, SLUG_SOURCE, FIELDS], summary="An article in full"),
    update=extend_schema(parameters=[ARTICLE_KEY, IF_MATCH], responses=CHECKED_WRITE),
    partial_update=extend_schema(parameters=[ARTICLE_KEY, IF_MATCH], responses=CHECKED_WRITE),
    destroy=extend_schema(parameters=[ARTICLE_KEY]),
)
class ArticleViewSet(KnownParametersMixin, AtomicWritesMixin, viewsets.ModelViewSet):
    """Articles: the published ones for everyone, every state for the desk.

    A list shows summaries (no body), newest first; one article is addressed by its id or its slug and shown in
    full. Writes need a signed-in user with the model permission; status and publication time change only through
    the workflow actions (publish, unpublish, review, archive).
    """

    # The view's docstring is the public description of its operations in the schema and the docs.
    queryset = Article.objects.select_related("source")
    serializer_class = ArticleDetailSerializer
    filterset_class = ArticleFilter
    # The search after the filters (it ranks the filtered rows), the collapse to one per story after the search.
    filter_backends = [FilterBackend, FullTextSearchBackend, StoryCollapseBackend]
    pagination_class = ArticlePagination
    list_parameters = ("fields",)
    lookup_url_kwarg = "key"
    lookup_value_regex = r"[^/.]+"

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":
            queryset = queryset.defer("body", "fingerprint", "external_id")
            bound = ArticlePagination.seek_bound(self.request)
            # One article per story is chosen among all the listed rows, not those past the cursor (the paginator
            # still starts the page at the cursor).
            if bound is not None and COLLAPSE_PARAM not in self.request.query_params:
                queryset = queryset.filter(bound)
        return queryset.visible_to(self.request.user)

    def get_serializer_class(self):
        return ArticleListSerializer if self.action == "list" else ArticleDetailSerializer

    def get_object(self, queryset=None):
        key = self.kwargs[self.lookup_url_kwarg]
        queryset = self.get_queryset() if queryset is None else queryset
        if key.isascii() and key.isdigit():  # an id; anything else (`²` included) is a slug
            pk = parse_id(key)
            matches = queryset.filter(pk=pk) if pk is not None else queryset.none()
        else:
            matches = queryset.filter(slug=key)
            if self.request.query_params.get("source"):
                matches = matches.filter(source__slug=self.request.query_params["source"])
        found = list(matches[:2])
        if not found:
            raise Http404("No article matches this id or slug.")
        if len(found) > 1:
            raise ValidationError({"source": ["Several sources use this slug; add ?source=<source slug>."]})
        article = found[0]
        self.check_object_permissions(self.request, article)
        return article

    def load_relations(self, articles) -> None:
        """Load the relations the response shows (one query each, whatever the number of articles); a list shows
        no quotes (an article's detail does)."""
        wanted = requested_fields(self.request)
        attach_relations(articles, wanted)
        attach_story_sizes(articles, self.request.user)
        if self.action != "list" and (wanted is None or "quotes" in wanted):
            attach_quotes(articles)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        # Outside a search the page is read first as its keys and stamps: all the validators and the links need.
        # The rows in full are read only when neither the client nor the server's copy has the page, so the
        # common answers (304, the kept copy) cost a light query instead of building twenty articles.
        probing = queryset.full_text is None
        rows = self.paginate_queryset(queryset.select_related(None).only(*PROBED) if probing else queryset)
        etag, last_modified = conditional.list_validators(
            request, rows, self.paginator.count, audience=audience(request.user)
        )
        response = conditional.not_modified(request, etag, last_modified, honour_modified_since=False)
        response = response or conditional.cached_json(request, etag)
        if response is None:
            if probing:
                rows = self._in_full(queryset, rows)
            self.load_relations(rows)
            if queryset.full_text is not None:  # a search (FullTextSearchBackend): the page's ranks and snippets
                queryset.full_text.attach_ranks_and_snippets(rows)
            data = self.get_paginated_response(self.get_serializer(rows, many=True).data).data
            response = conditional.remember_json(request, etag, data) or Response(data)
        conditional.set_validators(response, etag, last_modified)
        if response.status_code == status.HTTP_200_OK:  # a remembered page is the same page: the same headers
            for name, value in self.paginator.headers().items():
                response[name] = value
        return response

    def _in_full(self, queryset, probed) -> list:
        """Return the rows of `probed` read in full from `queryset`, in the same order, with the sizes of their
        stories (one query)."""
        rows = queryset.order_by().filter(pk__in=[row.pk for row in probed])
        found = {row.pk: row for row in rows.annotate(story_size=story_size(self.request.user))}
        return [found[row.pk] for row in probed if row.pk in found]  # a row deleted meanwhile is left out

    def retrieve(self, request, *args, **kwargs):
        # As for a list: the article's key and stamps first, with its latest quote's id, in one query; the article
        # in full only when the answer is not a 304 or the server's kept copy.
        probed = self.get_queryset().select_related(None).only(*PROBED)
        article = self.get_object(probed.annotate(latest_quote_id=conditional.LATEST_QUOTE))
        etag, last_modified = conditional.detail_validators(request, article, audience=detail_audience(request.user))
        response = conditional.not_modified(request, etag, last_modified, honour_modified_since=True)
        response = response or conditional.cached_json(request, etag)
        if response is None:
            found = self._in_full(self.get_queryset(), [article])
            if not found:
                raise Http404("No article matches this id or slug.")  # deleted since the first read
            article = found[0]
            self.load_relations([article])
            data = self.get_serializer(article).data
            response = conditional.remember_json(request, etag, data) or Response(data)
        conditional.set_validators(response, etag, last_modified)
        return response

    def perform_create(self, serializer):
        super().perform_create(serializer)
        self.load_relations([serializer.instance])

    def perform_update(self, serializer):
        serializer.instance._history_user = self.request.user
        with transaction.atomic():
            require_current(self.request, serializer.instance)
            super().perform_update(serializer)
        self.load_relations([serializer.instance])

    def _after_workflow(self, article):
        article.refresh_from_db()
        self.load_relations([article])
        return Response(ArticleDetailSerializer(article, context=self.get_serializer_context()).data)

    @extend_schema(
        parameters=[ARTICLE_KEY], request=PublishSerializer, responses=ArticleDetailSerializer, summary="Publish"
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def publish(self, request, key=None):
        """Publish now, or at `at` (a future time schedules the article); needs `articles.publish_article`."""
        article = self.get_object()
        params = PublishSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        workflow.publish([article], user=request.user, at=params.validated_data.get("at"))
        return self._after_workflow(article)

    @extend_schema(parameters=[ARTICLE_KEY], request=None, responses=ArticleDetailSerializer, summary="Unpublish")
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def unpublish(self, request, key=None):
        """Take a published article back to draft; needs `articles.publish_article`."""
        article = self.get_object()
        workflow.unpublish([article], user=request.user)
        return self._after_workflow(article)

    @extend_schema(parameters=[ARTICLE_KEY], request=None, responses=ArticleDetailSerializer, summary="Send to review")
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def review(self, request, key=None):
        """Move a draft to review; needs `articles.change_article`."""
        article = self.get_object()
        workflow.send_to_review([article], user=request.user)
        return self._after_workflow(article)

    @extend_schema(parameters=[ARTICLE_KEY], request=None, responses=ArticleDetailSerializer, summary="Archive")
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def archive(self, request, key=None):
        """Archive; archiving a published article takes it off the site, so that needs publishing rights too."""
        article = self.get_object()
        workflow.archive([article], user=request.user)
        return self._after_workflow(article)


class CountedViewSet(KnownParametersMixin, AtomicWritesMixin, viewsets.ModelViewSet):
    """A resource listed with its number of visible articles; what a reader may know of is the model's rule
    (`visible_to`), so a row only on unpublished articles is a 404 to the public, like one that does not exist."""

    def article_count(self, visible):
        raise NotImplementedError

    def visible_rows(self, queryset, user):
        raise NotImplementedError

    def get_queryset(self):
        visible = Article.objects.visible_to(self.request.user)
        queryset = self.visible_rows(super().get_queryset(), self.request.user)
        return queryset.annotate(article_count=self.article_count(visible))


class AuthorViewSet(CountedViewSet):
    """Authors as bylines credit them (people, desks, agencies), each with the number of articles you may read.

    Anonymous readers see the authors credited on at least one published article.
    """

    queryset = Author.objects.all()
    serializer_class = AuthorSerializer
    filterset_class = AuthorFilter

    def article_count(self, visible):
        return count_of(Byline.objects.filter(author=OuterRef("pk"), article__in=visible.values("pk")), "author")

    def visible_rows(self, queryset, user):
        return queryset.visible_to(user)


class SourceViewSet(CountedViewSet):
    """Sources: the outlets, agencies and aggregators pieces come from, each with the number of articles you may read.

    Anonymous readers see the sources of at least one published article.
    """

    queryset = Source.objects.all()
    serializer_class = SourceSerializer
    filterset_class = SourceFilter

    def article_count(self, visible):
        return count_of(visible.filter(source=OuterRef("pk")), "source")

    def visible_rows(self, queryset, user):
        return queryset.visible_to(user)


class TopicViewSet(CountedViewSet):
    """The topic tree (IPTC Media Topics and the desk's own), public as a whole: each topic with its parent, its
    children and the number of articles you may read that are assigned to it directly."""

    queryset = Topic.objects.prefetch_related(Prefetch("children", queryset=Topic.objects.only("id", "parent_id")))
    serializer_class = TopicSerializer
    filterset_class = TopicFilter

    def article_count(self, visible):
        through = Article.topics.through.objects
        return count_of(through.filter(topic=OuterRef("pk"), article__in=visible.values("pk")), "topic")

    def visible_rows(self, queryset, user):
        return queryset


class TagViewSet(CountedViewSet):
    """Tags, each with the number of articles you may read; anonymous readers see the tags of published articles."""

    queryset = Tag.objects.order_by("name")
    serializer_class = TagSerializer
    filterset_class = TagFilter

    def article_count(self, visible):
        tagged = TaggedItem.objects.filter(content_type=ContentType.objects.get_for_model(Article))
        return count_of(tagged.filter(tag=OuterRef("pk"), object_id__in=visible.values("pk")), "tag")

    def visible_rows(self, queryset, user):
        return tags_visible_to(user, queryset)


@extend_schema_view(
    list=extend_schema(summary="Import records, newest first (raw text, warnings and cleaning edits)"),
    retrieve=extend_schema(summary="One import record"),
)
class ImportViewSet(KnownParametersMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Imports: POST pieces to import them (a large import runs on the task queue and answers 202 with its batch);
    read the import records (editors only), one per attempt, with the raw text exactly as it arrived, the outcome,
    the warnings and every cleaning edit."""

    queryset = ImportRecord.objects.select_related("batch")
    serializer_class = ImportRecordSerializer
    filterset_class = ImportRecordFilter
    permission_classes = [ImportPermission]
    parser_classes = [PlainTextParser, LimitedJSONParser, FormParser, LimitedMultiPartParser]

    @extend_schema(
        summary="Import pieces",
        description=(
            "Send one raw piece as `text/plain` (add `?source=` to name the outlet when the piece does not), or as "
            'JSON `{"text": ..., "source": ...}`, or many as a multipart upload (each file a piece; a `text` field '
            "is one more, a `source` field names the outlet). The pieces go through the same pipeline as the import "
            "command and land as drafts.\n\n"
            "A small import runs in the request. One piece answers with its result: 201 when an article was "
            "created, 200 for any other outcome that succeeded (updated, unchanged, duplicate, conflict), 422 when "
            "the piece could not be imported. An upload of a few small files answers 200 with its finished batch.\n\n"
            "A large import (more pieces than `NEWSROOM_SYNC_IMPORT_MAX_PIECES`, or more bytes altogether than "
            "`NEWSROOM_SYNC_IMPORT_MAX_BYTES`) runs on the task queue: it answers `202 Accepted` at once, before "
            "anything is imported, with the batch (status `queued`) and its address in `Location`; follow the batch "
            "at `/api/v1/import-batches/{id}/` until it is `finished`."
        ),
        parameters=[OpenApiParameter("source", OpenApiTypes.STR, description="The outlet (text/plain bodies).")],
        # The multipart upload is described above rather than declared: a form's fields are all text, so the
        # schema could not tell a fuzzer which generated uploads are invalid.
        request={"text/plain": {"type": "string", "minLength": 1}, "application/json": ImportRequestSerializer},
        responses={
            201: ImportResultSerializer,
            200: OpenApiResponse(
                PolymorphicProxySerializer(
                    component_name="ImportAnswer",
                    serializers=[ImportResultSerializer, ImportBatchSerializer],
                    resource_type_field_name=None,
                ),
                description="One piece's result (a piece that was not created), or an upload's finished batch.",
            ),
            202: OpenApiResponse(
                ImportBatchSerializer,
                description="Queued: the batch, `queued`; its address is in the `Location` header.",
            ),
            422: OpenApiResponse(ImportResultSerializer, description="The piece was rejected; `error` says why."),
        },
    )
    def create(self, request, *args, **kwargs):
        from articles.ingest import ImportOptions, import_bytes, import_files
        from articles.ingest.queued import queue_import, should_queue

        incoming = incoming_pieces(request)
        options = ImportOptions(source=incoming.source, status="draft", channel="api", user=request.user, clean=True)
        if should_queue(incoming.pieces):
            batch = queue_import(incoming.pieces, options)
            body = batch_body(batch.pk, self.get_serializer_context())
            return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})
        if not incoming.single:
            report = import_files(incoming.pieces, options)
            return Response(batch_body(report.batch_id, self.get_serializer_context()), status=status.HTTP_200_OK)
        [piece] = incoming.pieces
        result = import_bytes(piece.data, origin=piece.origin, options=options)
        article = None
        if result.article_id:
            article = Article.objects.select_related("source").filter(pk=result.article_id).first()
            if article is not None:
                attach_relations([article])
        body = ImportResultSerializer(
            {**result.to_dict(), "article": article}, context=self.get_serializer_context()
        ).data
        if result.outcome == "failed":
            return Response(body, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
        return Response(body, status=status.HTTP_201_CREATED if result.outcome == "created" else status.HTTP_200_OK)


def batch_body(batch_id: int, context: dict) -> dict:
    """Return the batch `batch_id` as the import batches' resource shows it (read afresh, with its progress)."""
    return ImportBatchSerializer(ImportBatch.objects.with_progress().get(pk=batch_id), context=context).data


@extend_schema_view(
    list=extend_schema(summary="Import batches you may follow, newest first"),
    retrieve=extend_schema(summary="One import batch: its status and what became of its pieces so far"),
)
class ImportBatchViewSet(
    KnownParametersMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Import batches: each run of the importer, queued imports among them. A batch is seen by the user who started
    it and by editors; to anyone else (anonymous readers included) it does not exist (404). The pieces' raw text is
    not here: editors read it in the batch's import records (`import_records`)."""

    serializer_class = ImportBatchSerializer
    permission_classes = [AllowAny]

    def get_queryset(self):
        return ImportBatch.objects.visible_to(self.request.user).with_progress().order_by("-started_at", "-pk")

    def get_object(self):
        batch_id = parse_id(self.kwargs["pk"])
        found = self.get_queryset().filter(pk=batch_id).first() if batch_id is not None else None
        if found is None:
            raise Http404
        return found

    @extend_schema(
        summary="What became of each piece of an import batch, in the order they were recorded",
        responses={200: ImportBatchRecordSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], url_path="records", url_name="records")
    def records(self, request, pk=None):
        batch = self.get_object()
        records = (
            ImportRecord.objects.filter(batch=batch)
            .only("id", "origin", "outcome", "article_id", "error", "warnings", "created_at")
            .order_by("pk")
        )
        page = self.paginate_queryset(records)
        return self.get_paginated_response(ImportBatchRecordSerializer(page, many=True).data)
