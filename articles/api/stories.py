"""`/api/v1/stories/`: stories (the copies of one piece from every outlet) and their articles.

A reader sees a story only through the articles they may see: for anyone without editorial rights, a story is
its published articles, its size counts only those, and a story with none is a 404. Every count and list is one
query for the whole page, whatever its length.
"""

from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Subquery
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse

from articles.api.filtering import FilterBackend, KnownParametersMixin
from articles.api.filters import StoryFilter
from articles.ids import parse_id
from articles.models import Article, Story


class _OutletSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()


class StoryArticleSerializer(serializers.Serializer):
    """One article of a story, as a story lists it."""

    id = serializers.IntegerField()
    url = serializers.URLField()
    title = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)
    source = _OutletSerializer(allow_null=True)


class StorySerializer(serializers.Serializer):
    """A story as the list shows it (the schema of `_story_body`)."""

    id = serializers.IntegerField()
    url = serializers.URLField()
    size = serializers.IntegerField(help_text="How many of its articles the reader may see.")
    lead = StoryArticleSerializer(allow_null=True)
    outlets = serializers.ListField(child=serializers.CharField())
    first_seen = serializers.DateTimeField(allow_null=True)
    last_seen = serializers.DateTimeField(allow_null=True)


class StoryDetailSerializer(StorySerializer):
    articles = StoryArticleSerializer(many=True)


def story_size(user):
    """Return an annotation of articles: how many articles of its story `user` may see (null without a story).

    Read with the rows, it spares `attach_story_sizes` its query; a reader who sees an article sees at least that
    one of its story, so a story's count is never empty.
    """
    visible = Article.objects.visible_to(user).filter(story_id=OuterRef("story_id")).order_by().values("story_id")
    return Subquery(visible.annotate(size=Count("pk")).values("size")[:1])


def attach_story_sizes(articles, user) -> None:
    """Set `story_size` on each article: how many articles of its story `user` may see (one query; none for the
    articles read with their `story_size` annotated)."""
    articles = [article for article in articles if "story_size" not in article.__dict__]
    story_ids = {article.story_id for article in articles if article.story_id is not None}
    sizes = (
        dict(
            Article.objects.visible_to(user)
            .filter(story_id__in=story_ids)
            .order_by()
            .values("story_id")
            .annotate(size=Count("pk"))
            .values_list("story_id", "size")
        )
        if story_ids
        else {}
    )
    for article in articles:
        article.story_size = sizes.get(article.story_id, 0) if article.story_id is not None else None


def _members(stories, user) -> dict[int, list[dict]]:
    """Return the articles `user` may see of each story, earliest first (one query)."""
    members = defaultdict(list)
    rows = (
        Article.objects.visible_to(user)
        .filter(story_id__in=[story.pk for story in stories])
        .order_by("story_id", "published_at", "pk")
        .values_list("story_id", "pk", "title", "published_at", "source__name", "source__slug")
    )
    for story_id, pk, title, published_at, source_name, source_slug in rows:
        members[story_id].append(
            {
                "id": pk,
                "title": title,
                "published_at": published_at,
                "source": {"name": source_name, "slug": source_slug} if source_name else None,
            }
        )
    return members


def _story_body(story: Story, articles: list[dict], request, *, with_articles: bool) -> dict:
    for article in articles:
        article["url"] = reverse("api:article-detail", kwargs={"key": article["id"]}, request=request)
    lead = next((a for a in articles if a["id"] == story.lead_id), articles[0] if articles else None)
    outlets = sorted({a["source"]["name"] for a in articles if a["source"]}, key=str.casefold)
    seen = [a["published_at"] for a in articles if a["published_at"]]
    body = {
        "id": story.pk,
        "url": reverse("api:story-detail", kwargs={"pk": story.pk}, request=request),
        "size": len(articles),
        "lead": lead,
        "outlets": outlets,
        "first_seen": min(seen) if seen else None,
        "last_seen": max(seen) if seen else None,
    }
    if with_articles:
        body["articles"] = articles
    return body


@extend_schema_view(
    list=extend_schema(summary="List stories (lead, size, outlets, first and last seen)"),
    retrieve=extend_schema(summary="A story with its articles", responses=StoryDetailSerializer),
)
class StoryViewSet(KnownParametersMixin, viewsets.ReadOnlyModelViewSet):
    """Stories: the copies of one piece from many outlets, recognised as one. Readers see the stories of published
    articles, counted and listed by those alone."""

    permission_classes = [AllowAny]
    filter_backends = [FilterBackend]
    filterset_class = StoryFilter
    serializer_class = StorySerializer

    def get_queryset(self):
        visible = Article.objects.visible_to(self.request.user).filter(story_id=OuterRef("pk"))
        return Story.objects.filter(Exists(visible)).order_by("-last_seen", "-id")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        members = _members(page, request.user)
        data = [_story_body(story, members[story.pk], request, with_articles=False) for story in page]
        return self.get_paginated_response(data)

    def retrieve(self, request, *args, **kwargs):
        pk = parse_id(str(kwargs["pk"]))
        story = self.get_queryset().filter(pk=pk).first() if pk is not None else None
        if story is None:
            raise Http404("No story matches this id.")
        members = _members([story], request.user)
        return Response(_story_body(story, members[story.pk], request, with_articles=True))
