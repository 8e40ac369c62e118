"""Reading imported articles off the import's hot path: after each import batch commits, a task finds each new or
changed article's quotations and the names it mentions, and stores them as `Quote` rows and `EntitySuggestion`s.

The task is idempotent (delivered twice, it stores the same rows), so it needs no claim: an article's quotes are
replaced whole, its pending suggestions replaced, and its editors' decisions (accepted, rejected) kept.
"""

import logging
from collections import defaultdict
from operator import attrgetter

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from articles import changes, taskqueue
from articles.models import Article, EntitySuggestion, Quote
from articles.reading.entities import read_entities
from articles.reading.quotes import read_quotes

NAME_MAX = EntitySuggestion._meta.get_field("name").max_length
SPEAKER_MAX = Quote._meta.get_field("speaker").max_length
READ_AT_ONCE = 500
logger = logging.getLogger(__name__)


def enqueue_reading(article_ids: list[int]) -> None:
    """Have a worker read `article_ids` once the current transaction (an import batch's) commits (the task is
    enqueued with the transaction: `taskqueue.enqueue_with_transaction`)."""
    ids = sorted(set(article_ids))
    for start in range(0, len(ids), READ_AT_ONCE):
        taskqueue.enqueue_with_transaction(read_articles, ids[start : start + READ_AT_ONCE])


@task
def read_articles(article_ids: list[int]) -> dict:
    """Store the quotations and entity suggestions of the articles `article_ids` (those deleted since are passed
    over); return how many of each were stored."""
    articles = list(Article.objects.filter(pk__in=article_ids).only("pk", "body").prefetch_related("tags"))
    stored = store_reading(articles)
    logger.info("Read %d article(s): %d quote(s), %d suggestion(s).", len(articles), *stored)
    return {"articles": len(articles), "quotes": stored[0], "suggestions": stored[1]}


def store_reading(articles: list[Article]) -> tuple[int, int]:
    """Replace the quotes and pending suggestions of `articles` with what their bodies say now; return how many
    quotes and new suggestions were stored. A name an editor decided on is never suggested again."""
    quotes, suggestions = [], []
    decided = {
        (article_id, name.casefold())
        for article_id, name in EntitySuggestion.objects.filter(article__in=articles)
        .exclude(status=EntitySuggestion.Status.PENDING)
        .values_list("article_id", "name")
    }
    for article in articles:
        found = read_quotes(article.body)
        quotes += [
            Quote(article=article, text=q.text, speaker=q.speaker[:SPEAKER_MAX], position=position)
            for position, q in enumerate(found)
        ]
        tagged = {tag.name.casefold() for tag in article.tags.all()}
        seen = set()
        for entity in read_entities(article.body, speakers=[q.speaker for q in found if q.speaker]):
            key = entity.name[:NAME_MAX].casefold()
            if key in tagged or key in seen or (article.pk, key) in decided:
                continue
            seen.add(key)
            name = entity.name[:NAME_MAX]
            suggestions.append(EntitySuggestion(article=article, name=name, kind=entity.kind, mentions=entity.mentions))
    with transaction.atomic():
        before = _quotes_of(Quote.objects.filter(article__in=articles))
        Quote.objects.filter(article__in=articles).delete()
        Quote.objects.bulk_create(quotes)
        EntitySuggestion.objects.pending().filter(article__in=articles).delete()
        EntitySuggestion.objects.bulk_create(suggestions)
        after = _quotes_of(quotes)
        # Quotes are part of an article as the API shows it: the change feed (and the webhooks) must say so, or a
        # partner's mirror keeps the article as it was before its quotes were read.
        changes.record_side_changes([a.pk for a in articles if before.get(a.pk) != after.get(a.pk)])
    return len(quotes), len(suggestions)


def _quotes_of(quotes) -> dict[int, list[tuple[str, str]]]:
    """Return each article's quotes, (text, speaker) in order, from Quote rows (or a queryset of them)."""
    by_article = defaultdict(list)
    for quote in sorted(quotes, key=attrgetter("article_id", "position")):
        by_article[quote.article_id].append((quote.text, quote.speaker))
    return dict(by_article)


def accept_suggestions(suggestions, *, user) -> int:
    """Give each pending suggestion's article the tag it names, and record the acceptance; return how many."""
    with transaction.atomic():
        pending = list(_locked_pending(suggestions).select_related("article"))
        for suggestion in pending:
            suggestion.article.tags.add(suggestion.name)
        _decide(pending, EntitySuggestion.Status.ACCEPTED, user)
        tagged = {suggestion.article_id for suggestion in pending}
        # A tag is part of the article readers and partners see: its change time moves (the API's validators) and
        # the change feed and the webhooks hear of it. The revision stays: the text is the source's, so a later
        # import of the piece still updates it.
        now = timezone.now()
        Article.objects.filter(pk__in=tagged).update(updated_at=now)
        changes.record_side_changes(tagged, now=now)
    return len(pending)


def reject_suggestions(suggestions, *, user) -> int:
    """Record that editors do not want the pending suggestions as tags; return how many."""
    with transaction.atomic():
        pending = list(_locked_pending(suggestions))
        _decide(pending, EntitySuggestion.Status.REJECTED, user)
    return len(pending)


def _locked_pending(suggestions):
    """The pending ones of `suggestions`, locked (two editors deciding at once decide each one once); looked up by
    id, so that the caller's joins (an admin list's) are not locked with them."""
    ids = suggestions.order_by().values("pk")
    return EntitySuggestion.objects.pending().filter(pk__in=ids).select_for_update(of=("self",))


def _decide(suggestions, status, user) -> None:
    now = timezone.now()
    for suggestion in suggestions:
        suggestion.status, suggestion.decided_by, suggestion.decided_at = status, user, now
    EntitySuggestion.objects.bulk_update(suggestions, ["status", "decided_by", "decided_at"])
