"""Editors' decisions about stories: move an article to another story, split a story, merge two, choose the lead,
and accept or reject a possible match from the queue.

As in `articles.workflow`, each function checks the user's permission itself (`user` None is a trusted caller: a
script) and records its change in the articles' history (who, when, and what, as the entry's reason). The article's
revision is left alone: a story is not an edit of the text, and a re-import may still refresh it. Every article of
a story an editor touched is pinned (`StoryPin`), so imports and `rebuild_stories` keep the editor's grouping.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min
from django.db.models.functions import Coalesce
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from articles.stories.models import Story, StoryCandidate, StoryPin

CHANGE_STORY_PERMISSION = "articles.change_story"
DECIDE_PERMISSION = "articles.decide_storycandidate"


def _require(user, permission: str, action: str) -> None:
    if user is not None and not user.has_perm(permission):
        raise PermissionDenied(f"You do not have permission to {action}.")


def move_articles(articles: Iterable, *, to: Story, user=None, reason: str = "") -> int:
    """Move `articles` to the story `to`; return how many moved. Stories left empty are deleted."""
    _require(user, CHANGE_STORY_PERMISSION, "change stories")
    articles = [a for a in articles if a.story_id != to.pk]
    if not articles:
        return 0
    with transaction.atomic():
        left = {a.story_id for a in articles}
        _move(articles, to, user=user, reason=reason or f"Moved to story {to.pk}")
        _pin_stories([to.pk, *left], user)
        _refresh([to.pk, *left])
    return len(articles)


def split_story(articles: Iterable, *, user=None) -> Story:
    """Move `articles` (of one story, not all of it) into a new story of their own, and return it."""
    _require(user, CHANGE_STORY_PERMISSION, "change stories")
    articles = list(articles)
    stories = {a.story_id for a in articles}
    if len(stories) != 1:
        raise ValidationError("Choose articles of one story to split off.")
    (story_id,) = stories
    if len(articles) >= Story.objects.get(pk=story_id).articles.count():
        raise ValidationError("Leave at least one article in the story: choose fewer to split off.")
    with transaction.atomic():
        new = Story.objects.create(created_at=timezone.now())
        _move(articles, new, user=user, reason=f"Split from story {story_id} into story {new.pk}")
        _pin_stories([story_id, new.pk], user)
        _refresh([story_id, new.pk])
    new.refresh_from_db()
    return new


def merge_stories(stories: Iterable[Story], *, into: Story, user=None) -> int:
    """Move every article of `stories` into `into` and delete them; return how many stories were merged."""
    _require(user, CHANGE_STORY_PERMISSION, "change stories")
    others = [s for s in stories if s.pk != into.pk]
    if not others:
        return 0
    from articles.models import Article

    with transaction.atomic():
        ids = [s.pk for s in others]
        articles = list(Article.objects.filter(story_id__in=ids).order_by("pk"))
        _move(articles, into, user=user, reason=f"Merged into story {into.pk}")
        _pin_stories([into.pk], user)
        _refresh([into.pk, *ids])
    return len(others)


def choose_lead(article, *, user=None) -> None:
    """Make `article` the lead of its story, as an editor's choice that imports and rebuilds keep."""
    _require(user, CHANGE_STORY_PERMISSION, "change stories")
    with transaction.atomic():
        Story.objects.filter(pk=article.story_id).update(lead=article.pk, lead_chosen=True)
        _record([article], user, f"Chosen as the lead of story {article.story_id}")
        _pin_stories([article.story_id], user)


def accept_candidate(candidate: StoryCandidate, *, user=None) -> None:
    """Accept a possible match: the article joins its match's story (pinned there)."""
    _require(user, DECIDE_PERMISSION, "decide possible story matches")
    with transaction.atomic():
        candidate = StoryCandidate.objects.select_for_update().select_related("article", "match").get(pk=candidate.pk)
        target = Story.objects.get(pk=candidate.match.story_id)
        article = candidate.article
        if article.story_id != target.pk:
            left = article.story_id
            _move([article], target, user=user, reason=f"Accepted into story {target.pk} (possibly the same story)")
            _refresh([target.pk, left])
        _pin_stories([target.pk], user)
        _decide(candidate, StoryCandidate.Status.ACCEPTED, user, story=target)


def reject_candidate(candidate: StoryCandidate, *, user=None) -> None:
    """Reject a possible match: the article stays in its own story, apart from its match's, and a rebuild keeps
    them apart."""
    _require(user, DECIDE_PERMISSION, "decide possible story matches")
    with transaction.atomic():
        candidate = StoryCandidate.objects.select_for_update().select_related("article").get(pk=candidate.pk)
        _record([candidate.article], user, f"Kept apart from story {candidate.story_id} (not the same story)")
        _pin([candidate.article_id], user)
        _decide(candidate, StoryCandidate.Status.REJECTED, user)


def _decide(candidate: StoryCandidate, status: str, user, story: Story | None = None) -> None:
    candidate.status = status
    candidate.decided_by = user if user is not None and user.is_authenticated else None
    candidate.decided_at = timezone.now()
    fields = ["status", "decided_by", "decided_at"]
    if story is not None and story.pk != candidate.story_id:
        candidate.story = story
        fields.append("story")
    try:
        with transaction.atomic():
            candidate.save(update_fields=fields)
    except IntegrityError:  # the article was queued for that story already: keep one decision
        StoryCandidate.objects.filter(article_id=candidate.article_id, story=story).exclude(pk=candidate.pk).delete()
        candidate.save(update_fields=fields)


def _move(articles: list, to: Story, *, user, reason: str) -> None:
    from articles import changes

    for article in articles:
        article.story_id = to.pk
    history_user = user if user is not None and user.is_authenticated else None
    bulk_update_with_history(
        articles, type(articles[0]), ["story"], default_user=history_user, default_change_reason=reason[:100]
    )
    changes.record(articles, created=False)  # the article's `story` is on the wire: consumers hear of the move


def _record(articles: list, user, reason: str) -> None:
    from articles.models import Article

    history_user = user if user is not None and user.is_authenticated else None
    Article.history.bulk_history_create(
        articles, update=True, default_user=history_user, default_change_reason=reason[:100]
    )


def _pin(article_ids: list[int], user) -> None:
    now = timezone.now()
    by = user if user is not None and user.is_authenticated else None
    pins = [StoryPin(article_id=pk, pinned_by=by, pinned_at=now) for pk in article_ids]
    StoryPin.objects.bulk_create(pins, ignore_conflicts=True)


def _pin_stories(story_ids: list[int], user) -> None:
    from articles.models import Article

    _pin(list(Article.objects.filter(story_id__in=story_ids).values_list("pk", flat=True)), user)


def refresh_stories(story_ids: Iterable[int]) -> None:
    """Recompute the size, first and last seen and lead of these stories from their articles; delete the empty ones
    (their decided queue entries move to their match's story first, so a rejection is not forgotten)."""
    _refresh(list(story_ids))


def _refresh(story_ids: list[int]) -> None:
    from articles.models import Article
    from articles.stories.assign import _better_lead, _Known

    story_ids = sorted(set(story_ids))
    seen = Coalesce("published_at", "created_at")
    figures = {
        row["story_id"]: row
        for row in Article.objects.filter(story_id__in=story_ids)
        .order_by()
        .values("story_id")
        .annotate(size=Count("pk"), first=Min(seen), last=Max(seen))
    }
    for story in Story.objects.filter(pk__in=story_ids):
        row = figures.get(story.pk)
        if row is None:
            _forget(story)
            continue
        members = list(
            Article.objects.filter(story_id=story.pk)
            .annotate(seen=seen)
            .order_by("seen", "pk")
            .values_list("pk", "seen", "word_count")
        )
        lead_id = story.lead_id if story.lead_chosen and story.lead_id in {m[0] for m in members} else None
        chosen = story.lead_chosen and lead_id is not None
        if lead_id is None:
            best = None
            for pk, when, words in members:
                candidate = _Known(pk, story.pk, None, when, words, "")
                if best is None or _better_lead(candidate, when, best):
                    best = candidate
            lead_id = best.pk
        Story.objects.filter(pk=story.pk).update(
            size=row["size"], first_seen=row["first"], last_seen=row["last"], lead=lead_id, lead_chosen=chosen
        )


def _forget(story: Story) -> None:
    for candidate in StoryCandidate.objects.filter(story=story).exclude(status=StoryCandidate.Status.PENDING):
        target = candidate.match.story_id
        if target == story.pk or StoryCandidate.objects.filter(article_id=candidate.article_id, story_id=target):
            continue
        StoryCandidate.objects.filter(pk=candidate.pk).update(story_id=target)
    story.delete()
