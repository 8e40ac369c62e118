"""RSS 2.0 and Atom feeds of published articles: all of them, or one source's, topic's or author's.

Each feed lists the newest published articles (publication time come) with their summary, bylines and categories,
loaded in a constant number of queries. An item links to the article's public page (`articles/public/`). Feeds
are throttled at the API's rates (`throttle_feed`).
"""

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from articles.api.throttling import throttle_feed
from articles.models import Article, Author, Byline, Source, Topic

FEED_LENGTH = 50


class ArticleFeed(Feed):
    """The newest published articles of the whole newsroom."""

    feed_type = Rss201rev2Feed
    title = "newsroom: latest articles"
    description = "The newest published articles."

    def link(self, obj=None):
        return reverse("feed-latest")

    def articles(self, obj):
        return Article.objects.published()

    def items(self, obj=None):
        return (
            self.articles(obj)
            .select_related("source")
            .defer("body")
            .prefetch_related(
                Prefetch("bylines", queryset=Byline.objects.select_related("author").order_by("position")),
                "topics",
                "tags",
            )
            .order_by("-published_at", "-id")[:FEED_LENGTH]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return f"newsroom:article:{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        names = [byline.author.name for byline in item.bylines.all()]
        return ", ".join(names) or None

    def item_categories(self, item):
        return [topic.name for topic in item.topics.all()] + [tag.name for tag in item.tags.all()]


class SourceFeed(ArticleFeed):
    def get_object(self, request, slug):
        # A source named only on unpublished articles is a 404, like one that does not exist.
        return get_object_or_404(Source.objects.visible_to(request.user), slug=slug)

    def title(self, obj):
        return f"newsroom: {obj.name}"

    def description(self, obj):
        return f"The newest published articles from {obj.name}."

    def link(self, obj):
        return reverse("feed-source", args=[obj.slug])

    def articles(self, obj):
        return Article.objects.published().filter(source=obj)


class TopicFeed(ArticleFeed):
    """A topic's articles, its subtopics' included; topics are the public taxonomy, so every topic has a feed."""

    def get_object(self, request, slug):
        return get_object_or_404(Topic, slug=slug)

    def title(self, obj):
        return f"newsroom: {obj.name}"

    def description(self, obj):
        return f"The newest published articles about {obj.name}."

    def link(self, obj):
        return reverse("feed-topic", args=[obj.slug])

    def articles(self, obj):
        through = Article.topics.through.objects.filter(topic_id__in=obj.descendant_ids())
        return Article.objects.published().filter(id__in=through.values("article_id"))


class AuthorFeed(ArticleFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Author.objects.visible_to(request.user), slug=slug)

    def title(self, obj):
        return f"newsroom: {obj.name}"

    def description(self, obj):
        return f"The newest published articles by {obj.name}."

    def link(self, obj):
        return reverse("feed-author", args=[obj.slug])

    def articles(self, obj):
        return Article.objects.published().filter(id__in=Byline.objects.filter(author=obj).values("article_id"))


def atom(feed_class):
    """Return the Atom 1.0 variant of an RSS feed class (Atom calls the description a subtitle)."""
    return type(
        f"Atom{feed_class.__name__}",
        (feed_class,),
        {"feed_type": Atom1Feed, "subtitle": feed_class.description},
    )


urlpatterns = [
    path("", throttle_feed(ArticleFeed()), name="feed-latest"),
    path("atom/", throttle_feed(atom(ArticleFeed)()), name="feed-latest-atom"),
    path("sources/<slug:slug>/", throttle_feed(SourceFeed()), name="feed-source"),
    path("sources/<slug:slug>/atom/", throttle_feed(atom(SourceFeed)()), name="feed-source-atom"),
    path("topics/<slug:slug>/", throttle_feed(TopicFeed()), name="feed-topic"),
    path("topics/<slug:slug>/atom/", throttle_feed(atom(TopicFeed)()), name="feed-topic-atom"),
    path("authors/<slug:slug>/", throttle_feed(AuthorFeed()), name="feed-author"),
    path("authors/<slug:slug>/atom/", throttle_feed(atom(AuthorFeed)()), name="feed-author-atom"),
]
