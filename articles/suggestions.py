"""Topic suggestions: the topics an article's words point to, from each topic's keywords and its name (the IPTC
Media Topics' names among them), for an editor to accept (the topic is added) or reject (never suggested again).

Suggesting reads every topic and the article's text, so it runs on the task queue, never on the import's hot path:
the loader enqueues `suggest_topics_task` with a batch's created and updated articles once the batch commits.
"""

import re
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from articles import taskqueue, workflow
from articles.models import Article, Topic, TopicSuggestion

MAX_SUGGESTIONS = 3  # per article: more is noise an editor has to reject one by one
MIN_SCORE = 3  # three hits in the body, or one in the title
TITLE_WEIGHT = 3
MIN_NAME_WORD = 4  # words of a topic's name shorter than this ("and", "of") are no evidence
_WORD_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


@dataclass(frozen=True)
class Suggestion:
    topic_id: int
    score: int
    matched: tuple[str, ...]


def topic_terms(topic: Topic) -> set[str]:
    """Return the lower-case words and phrases that suggest `topic`: its keywords, and its name's longer words."""
    terms = {" ".join(_WORD_RE.findall(str(keyword).casefold())) for keyword in topic.keywords or []}
    terms |= {word for word in _WORD_RE.findall(topic.name.casefold()) if len(word) >= MIN_NAME_WORD}
    return {term for term in terms if term}


def _counts(text: str) -> tuple[Counter, str]:
    words = _WORD_RE.findall(text.casefold())
    return Counter(words), f" {' '.join(words)} "


def _hits(term: str, counts: Counter, joined: str) -> int:
    if " " in term:
        return joined.count(f" {term} ")
    # A plural or a verb's -s form counts as the word ("prices" for "price", "taxes" for "tax").
    return counts[term] + counts[term + "s"] + counts[term + "es"]


def score_topics(title: str, body: str, terms_by_topic: dict[int, set[str]]) -> list[Suggestion]:
    """Return the topics `title` and `body` suggest, best first, at most MAX_SUGGESTIONS, each at least MIN_SCORE."""
    title_counts, title_joined = _counts(title)
    body_counts, body_joined = _counts(body)
    found = []
    for topic_id, terms in terms_by_topic.items():
        score, matched = 0, []
        for term in sorted(terms):
            hits = TITLE_WEIGHT * _hits(term, title_counts, title_joined) + _hits(term, body_counts, body_joined)
            if hits:
                score += hits
                matched.append(term)
        if score >= MIN_SCORE:
            found.append(Suggestion(topic_id, score, tuple(matched)))
    found.sort(key=lambda suggestion: (-suggestion.score, suggestion.topic_id))
    return found[:MAX_SUGGESTIONS]


def suggest_topics(article_ids: list[int]) -> int:
    """Store pending suggestions for the articles `article_ids`; return how many were stored.

    A topic the article has already, or one an editor accepted or rejected for it, is not suggested; a pending
    suggestion is replaced by what the article's text says now (an updated piece may say something else).
    """
    terms_by_topic = {topic.pk: topic_terms(topic) for topic in Topic.objects.only("pk", "name", "keywords")}
    terms_by_topic = {pk: terms for pk, terms in terms_by_topic.items() if terms}
    if not terms_by_topic:
        return 0
    articles = Article.objects.filter(pk__in=article_ids).only("pk", "title", "body").prefetch_related("topics")
    decided = set(
        TopicSuggestion.objects.filter(article__in=article_ids)
        .exclude(status=TopicSuggestion.Status.PENDING)
        .values_list("article_id", "topic_id")
    )
    rows = []
    for article in articles:
        has = {topic.pk for topic in article.topics.all()}
        for suggestion in score_topics(article.title, article.body, terms_by_topic):
            if suggestion.topic_id in has or (article.pk, suggestion.topic_id) in decided:
                continue
            rows.append(
                TopicSuggestion(
                    article_id=article.pk,
                    topic_id=suggestion.topic_id,
                    score=suggestion.score,
                    matched=list(suggestion.matched),
                )
            )
    with transaction.atomic():
        TopicSuggestion.objects.pending().filter(article__in=article_ids).delete()
        TopicSuggestion.objects.bulk_create(rows)
    return len(rows)


@task
def suggest_topics_task(article_ids: list[int]) -> dict:
    """Suggest topics for the articles `article_ids` (a batch the importer stored); return how many were stored."""
    return {"articles": len(article_ids), "suggestions": suggest_topics(article_ids)}


def enqueue_suggestions(article_ids: list[int]) -> None:
    """Have a worker suggest topics for `article_ids` once the current transaction commits (none for no ids)."""
    if article_ids:
        taskqueue.enqueue_with_transaction(suggest_topics_task, list(article_ids))


def accept(suggestions, *, user) -> int:
    """Add each pending suggestion's topic to its article (with the article's history entry, as a bulk edit does)
    and mark the suggestion accepted by `user`; return how many were accepted.

    `user` needs the right to change articles (`workflow.bulk_edit` checks it).
    """
    accepted = 0
    for suggestion in suggestions.pending().select_related("article", "topic"):
        with transaction.atomic():
            report = workflow.bulk_edit([suggestion.article], user=user, topics=[suggestion.topic])
            if report.skipped and not report.skipped[0][1].startswith("nothing to change"):
                continue
            _decide(suggestion, TopicSuggestion.Status.ACCEPTED, user)
            accepted += 1
    return accepted


def reject(suggestions, *, user) -> int:
    """Mark each pending suggestion rejected by `user` (its topic is not suggested for that article again); return
    how many were rejected."""
    return suggestions.pending().update(
        status=TopicSuggestion.Status.REJECTED, decided_by=user, decided_at=timezone.now()
    )


def _decide(suggestion: TopicSuggestion, status: str, user) -> None:
    suggestion.status, suggestion.decided_by, suggestion.decided_at = status, user, timezone.now()
    suggestion.save(update_fields=["status", "decided_by", "decided_at"])
