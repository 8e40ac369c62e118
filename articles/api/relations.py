"""Load what article responses show of their relations: bylines, topics and tags (and, in full, quotes), one query
each.

The rows are read as plain values, already in the shape the responses use, and attached to each article
(`byline_rows`, `topic_rows`, `tag_names`): a page of 100 articles costs the same three queries as a page of one,
and no model instance or related manager is built per row.
"""

from django.contrib.contenttypes.models import ContentType
from taggit.models import TaggedItem

from articles.models import Article, Byline, Quote, sees_unpublished


def attach_relations(articles, wanted=None) -> None:
    """Attach `byline_rows`, `topic_rows` and `tag_names` to `articles`; skip those `wanted` leaves out."""
    by_id = {article.pk: article for article in articles}
    for article in articles:
        article.byline_rows, article.topic_rows, article.tag_names = [], [], []
    if not by_id:
        return
    if wanted is None or "authors" in wanted:
        bylines = (
            Byline.objects.filter(article_id__in=by_id)
            .order_by("article_id", "position")
            .values_list("article_id", "author_id", "author__name", "author__slug", "author__kind", "role", "position")
        )
        for article_id, author_id, name, slug, kind, role, position in bylines:
            by_id[article_id].byline_rows.append(
                {"id": author_id, "name": name, "slug": slug, "kind": kind, "role": role, "position": position}
            )
    if wanted is None or "topics" in wanted:
        topics = (
            Article.topics.through.objects.filter(article_id__in=by_id)
            .order_by("topic__name", "topic_id")
            .values_list("article_id", "topic_id", "topic__name", "topic__slug")
        )
        for article_id, topic_id, name, slug in topics:
            by_id[article_id].topic_rows.append({"id": topic_id, "name": name, "slug": slug})
    if wanted is None or "tags" in wanted:
        tags = (
            TaggedItem.objects.filter(content_type=ContentType.objects.get_for_model(Article), object_id__in=by_id)
            .order_by("id")
            .values_list("object_id", "tag__name")
        )
        for article_id, name in tags:
            by_id[article_id].tag_names.append(name)


def attach_quotes(articles) -> None:
    """Attach `quote_rows` (text and speaker, in the article's order) to `articles`, in one query."""
    by_id = {article.pk: article for article in articles}
    for article in articles:
        article.quote_rows = []
    if not by_id:
        return
    quotes = Quote.objects.filter(article_id__in=by_id).order_by("article_id", "position")
    for article_id, text, speaker in quotes.values_list("article_id", "text", "speaker"):
        by_id[article_id].quote_rows.append({"text": text, "speaker": speaker})


def attach_duplicate_visibility(articles, user) -> None:
    """Attach `duplicate_of_visible` to the `articles` that duplicate another: whether `user` may see that one.

    Readers who see unpublished articles see every original; anyone else, the published ones, found in one query
    for the whole page rather than one per duplicate.
    """
    duplicates = [article for article in articles if article.duplicate_of_id is not None]
    if not duplicates:
        return
    if sees_unpublished(user):
        visible = {article.duplicate_of_id for article in duplicates}
    else:
        originals = {article.duplicate_of_id for article in duplicates}
        visible = set(Article.objects.published().filter(pk__in=originals).values_list("pk", flat=True))
    for article in duplicates:
        article.duplicate_of_visible = article.duplicate_of_id in visible
