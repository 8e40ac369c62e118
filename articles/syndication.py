"""RSS 2.0 and Atom feeds of published articles: all of them, or one source's, topic's or author's.

Each feed lists the newest published articles (publication time come) with their summary, their full text (the
body as HTML, as the API's `body_html`: RSS `content:encoded`, Atom `content`), bylines, categories (topics and
tags) and language (the article's, else the site's: RSS `dc:language`, Atom `xml:lang`), loaded in a constant
number of queries. An item links to the article's public page (`articles/public/`). Each answer carries an `ETag`
(a digest of the document), and a request whose `If-None-Match` names it gets `304 Not Modified`. Feeds are
throttled at the API's rates (`throttle_feed`).
"""

import hashlib

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.cache import get_conditional_response
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from articles.api.rendering import render_body_html
from articles.api.throttling import throttle_feed
from articles.models import Article, Author, Byline, Source, Topic

FEED_LENGTH = 50


class FullTextRss(Rss201rev2Feed):
    """RSS 2.0 with each item's full text (`content:encoded`) and language (`dc:language`)."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
            "xmlns:dc": "http://purl.org/dc/elements/1.1/",
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])
        if item.get("language"):
            handler.addQuickElement("dc:language", item["language"])


class FullTextAtom(Atom1Feed):
    """Atom 1.0 with each entry's full text (`content`, as HTML) and language (`xml:lang`)."""

    def item_attributes(self, item):
        attributes = super().item_attributes(item)
        if item.get("language"):
            attributes["xml:lang"] = item["language"]
        return attributes

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})


class ArticleFeed(Feed):
    """The newest published articles of the whole newsroom."""

    feed_type = FullTextRss
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

    def item_extra_kwargs(self, item):
        return {"content_html": render_body_html(item.body), "language": item.language or settings.LANGUAGE_CODE}


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
        {"feed_type": FullTextAtom, "subtitle": feed_class.description},
    )


def conditional(feed):
    """Wrap a feed view: an `ETag` on each document, and `304 Not Modified` when `If-None-Match` names it."""

    def answer(request, *args, **kwargs):
        response = feed(request, *args, **kwargs)
        if response.status_code != 200:
            return response
        etag = f'"{hashlib.blake2b(response.content, digest_size=16).hexdigest()}"'
        response["ETag"] = etag
        return get_conditional_response(request, etag=etag, response=response)

    return answer


def served(feed):
    return throttle_feed(conditional(feed))


urlpatterns = [
    path("", served(ArticleFeed()), name="feed-latest"),
    path("atom/", served(atom(ArticleFeed)()), name="feed-latest-atom"),
    path("sources/<slug:slug>/", served(SourceFeed()), name="feed-source"),
    path("sources/<slug:slug>/atom/", served(atom(SourceFeed)()), name="feed-source-atom"),
    path("topics/<slug:slug>/", served(TopicFeed()), name="feed-topic"),
    path("topics/<slug:slug>/atom/", served(atom(TopicFeed)()), name="feed-topic-atom"),
    path("authors/<slug:slug>/", served(AuthorFeed()), name="feed-author"),
    path("authors/<slug:slug>/atom/", served(atom(AuthorFeed)()), name="feed-author-atom"),
]
