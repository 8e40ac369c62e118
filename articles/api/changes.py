"""`/api/v1/changes/`: the change log as a feed a partner mirrors the archive from, page by page with a cursor.

Anonymous readers (and anyone who may not see unpublished articles) follow the public numbering: only the changes
of articles that were public before or after, each with the article's public data as it is now, or a tombstone
when it is no longer public; drafts leave no trace, not even a gap in the cursor. The desk follows every change.
Applying the events in order (an upsert for data, a removal for a tombstone) leaves a mirror equal to the archive
as it was when the last page was read: an article's newest event always carries its newest state.
"""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from articles import changes
from articles.api import conditional
from articles.api.exceptions import Gone
from articles.api.filtering import refuse_unknown_parameters
from articles.api.permissions import detail_audience
from articles.api.relations import attach_duplicate_visibility, attach_quotes, attach_relations
from articles.api.serializers import ArticleDetailSerializer, requested_fields
from articles.api.stories import attach_story_sizes
from articles.ids import parse_id
from articles.models import Article, ArticleChange, sees_unpublished

PAGE_SIZE = 100
PAGE_SIZE_MAX = 1000
OCCURRED_AT = serializers.DateTimeField()

CHANGE_EVENT_FIELDS = {
    "cursor": serializers.IntegerField(help_text="This event's place; pass it as `after` to read what follows."),
    "kind": serializers.ChoiceField(ArticleChange.Kind.choices),
    "article_id": serializers.IntegerField(),
    "revision": serializers.IntegerField(help_text="The article's revision after this change."),
    "occurred_at": serializers.DateTimeField(),
    "tombstone": serializers.BooleanField(
        help_text="True when the article is gone for this reader (deleted, or no longer public): remove it."
    ),
    "article": ArticleDetailSerializer(allow_null=True, help_text="The article as it is now; null with a tombstone."),
}


class ChangeFeedView(GenericAPIView):
    """Every change to the articles you may see, oldest first: follow it to keep a copy of the archive.

    Start with `after=0` (or no `after`), apply each event in order (store `article` under `article_id`, or remove
    the article when `tombstone` is true), then ask again with `after` set to the page's `cursor`; `has_more` says
    whether to ask at once. An event carries the article as it is when the page is read, so a late event may show a
    newer revision than its own. Changes are kept for a limited time (30 days unless configured): a cursor older
    than that is answered `410 Gone`; read the archive again from the article list, after noting the `cursor` of
    `?after=` the newest event (`latest`), and follow from there.
    """

    permission_classes = [AllowAny]
    queryset = ArticleChange.objects.all()
    pagination_class = None
    filter_backends = []

    @extend_schema(
        summary="The change feed",
        parameters=[
            OpenApiParameter(
                "after",
                {"type": "integer", "minimum": 0, "maximum": 2**63 - 1},
                description="The cursor of the last event read (0: start).",
            ),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": PAGE_SIZE_MAX},
                description=f"Events per page (default {PAGE_SIZE}, at most {PAGE_SIZE_MAX}).",
            ),
        ],
        responses={
            200: inline_serializer(
                "ChangePage",
                {
                    "results": inline_serializer("ChangeEvent", CHANGE_EVENT_FIELDS, many=True),
                    "cursor": serializers.IntegerField(help_text="Pass as `after` for the next page."),
                    "latest": serializers.IntegerField(help_text="The newest event's cursor now."),
                    "has_more": serializers.BooleanField(),
                },
            ),
            400: OpenApiResponse(description="`after` or `limit` is not a whole number in its range."),
            410: OpenApiResponse(
                description="The cursor is older than the changes kept: start over (`latest` is the newest cursor)."
            ),
        },
    )
    def get(self, request):
        refuse_unknown_parameters(request, {"after", "limit", "format"})
        after, limit = self._cursor_and_limit(request)
        public = not sees_unpublished(request.user)
        found = changes.bounds(public=public)
        if found.unsequenced:
            changes.sequence_changes()  # what committed since the scheduler's last tick
            found = changes.bounds(public=public)
        first, last, mark, _ = found
        last = last or 0
        if first is not None and after < first - 1:
            gone = Gone("This cursor is older than the changes kept; read the archive again and follow from `latest`.")
            gone.detail = {"detail": gone.detail, "latest": last}  # the cursor stays a number
            raise gone
        # Every write of an article appends a change, so a page is the same page as long as the newest change is
        # the same: the newest change keys the ETag and the server's copy of the rendered page.
        newest = (last, mark)
        etag = conditional.weak_etag(detail_audience(request.user), request.build_absolute_uri(), newest)
        response = conditional.not_modified(request, etag, None, honour_modified_since=False)
        response = response or conditional.cached_json(request, etag)
        if response is None:
            data = self._page(request, after, limit, last, field="public_position" if public else "position")
            response = conditional.remember_json(request, etag, data) or Response(data)
        conditional.set_validators(response, etag, None)
        return response

    def _page(self, request, after: int, limit: int, last: int, *, field: str) -> dict:
        events = list(ArticleChange.objects.filter(**{f"{field}__gt": after}).order_by(field)[:limit])
        articles = self._current_articles(request, {event.article_id for event in events})
        results = [self._event(event, getattr(event, field), articles.get(event.article_id)) for event in events]
        cursor = results[-1]["cursor"] if results else after
        return {"results": results, "cursor": cursor, "latest": last, "has_more": cursor < last}

    def _cursor_and_limit(self, request) -> tuple[int, int]:
        raw_after = request.query_params.get("after", "0") or "0"
        raw_limit = request.query_params.get("limit", str(PAGE_SIZE)) or str(PAGE_SIZE)
        after = 0 if raw_after == "0" else parse_id(raw_after)
        limit = parse_id(raw_limit)
        errors = {}
        if after is None:
            errors["after"] = ["A cursor is a whole number: the `cursor` of the last page read, or 0."]
        if limit is None or limit > PAGE_SIZE_MAX:
            errors["limit"] = [f"A whole number from 1 to {PAGE_SIZE_MAX}."]
        if errors:
            raise ValidationError(errors)
        return after, limit

    def _current_articles(self, request, ids) -> dict[int, dict]:
        """Return the data of the articles of `ids` the reader may see now, as their detail shows it, by id."""
        found = list(Article.objects.select_related("source").filter(pk__in=ids).visible_to(request.user))
        wanted = requested_fields(request)
        attach_relations(found, wanted)
        if wanted is None or "quotes" in wanted:
            attach_quotes(found)  # an event carries the article as its detail does, quotes included
        attach_story_sizes(found, request.user)
        attach_duplicate_visibility(found, request.user)
        # One serializer for the page: its fields are built (and its rows compiled) once, not once per event.
        data = ArticleDetailSerializer(found, many=True, context=self.get_serializer_context()).data
        return {article.pk: row for article, row in zip(found, data, strict=True)}

    @staticmethod
    def _event(event, cursor, article: dict | None) -> dict:
        return {
            "cursor": cursor,
            "kind": event.kind,
            "article_id": event.article_id,
            "revision": event.revision,
            "occurred_at": OCCURRED_AT.to_representation(event.occurred_at),
            "tombstone": article is None,
            "article": article,
        }
