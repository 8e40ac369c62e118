"""Give each article an import stores its story, inside the import's transaction (called from `ingest/write.py`).

For each new article, in order: the articles sharing one of its LSH band keys (stored ones, from the band table,
and the batch's own earlier ones) are candidates; the best-placed few are verified by exact Jaccard similarity and
containment of their shingles (`matching.py`), within the publication window. A sure match joins that story; a
possible one starts a story of its own and goes to the editors' queue (`StoryCandidate`); otherwise the article
starts a new story. Its band keys are then stored, so the next article (in this batch or another import) finds it.

Race safety: on PostgreSQL the step takes a transaction-level advisory lock first, so two imports assign stories
one after the other, and the second sees the first's bands once it has committed; on SQLite the import's IMMEDIATE
transaction already holds the database's only write lock.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import F
from django.utils import timezone

from articles.ingest.rows import allocate_ids, insert_rows
from articles.stories import signatures
from articles.stories.matching import DIFFERENT, SAME, Similarity, similarity
from articles.stories.models import Story, StoryBand, StoryCandidate
from articles.stories.signatures import shingles

STORY_LOCK = 0x5703_1E5  # the advisory lock id of story assignment
CANDIDATES_VERIFIED = 8
KEYS_PER_QUERY = 900
SAME_SOURCE_JACCARD = 0.6
SAME_SOURCE_CONTAINMENT = 0.8


@dataclass
class _Known:
    pk: int
    story_id: int
    source_id: int | None
    seen: datetime.datetime
    body: str
    word_count: int

    _shingles: set | None = None

    @property
    def shingles(self) -> set[str]:
        if self._shingles is None:
            self._shingles = shingles(self.body)
        return self._shingles


def window() -> datetime.timedelta:
    return datetime.timedelta(days=getattr(settings, "NEWSROOM_STORY_WINDOW_DAYS", 30))


def seen_at(article) -> datetime.datetime:
    return article.published_at or article.created_at or timezone.now()


def assign_stories(articles: list, keys: dict[int, list[int]], *, apart: dict[int, set[int]] | None = None) -> None:
    """Set `story_id` on each of `articles` (new, ids allocated, not inserted yet), creating and updating stories,
    queueing possible matches and storing the articles' band keys; `keys` maps an article's id to its band keys.
    `apart` (a rebuild's): the stories an article must not join, by article id (editors rejected the match)."""
    if not articles or not signatures.ENABLED:
        return
    _lock()
    now = timezone.now()
    wanted = sorted({key for article in articles for key in keys.get(article.pk, [])})
    holders = _stored_holders(wanted)
    batch_holders: dict[int, list[int]] = defaultdict(list)
    known: dict[int, _Known] = {}
    # Only the best-placed stored candidates of each article are verified: load those, not every holder of a
    # common band key (template text shares bands with hundreds of pieces).
    wanted_known = set()
    for article in articles:
        stored_hits = Counter(pk for key in keys.get(article.pk, []) for pk in holders.get(key, []))
        wanted_known.update(pk for pk, _count in stored_hits.most_common(CANDIDATES_VERIFIED))
    _load_known(wanted_known, known)
    new_stories: dict[int, Story] = {}
    joined: dict[int, list] = defaultdict(list)
    queued: list[StoryCandidate] = []
    for article in articles:
        own = keys.get(article.pk, [])
        hits = Counter(pk for key in own for pk in holders.get(key, []) + batch_holders.get(key, []))
        seen = seen_at(article)
        mine = _Known(article.pk, 0, article.source_id, seen, article.body, article.word_count)
        best, best_score = None, None
        for pk, _count in hits.most_common(CANDIDATES_VERIFIED):
            if pk not in known:  # placed among the best only with the batch's own holders counted: rare
                _load_known({pk}, known)
            other = known[pk]
            if apart and other.story_id in apart.get(article.pk, ()):
                continue
            if abs(other.seen - seen) > window():
                continue
            score = similarity(mine.shingles, other.shingles)
            verdict = _verdict(score, mine, other)
            if verdict == DIFFERENT:
                continue
            rank = (verdict == SAME, max(score.jaccard, score.containment))
            if best is None or rank > best_score:
                best, best_score, best_similarity = other, rank, score
        if best is not None and best_score[0]:
            article.story_id = best.story_id
            if best.story_id < 0:  # a story this batch started
                _grow_new_story(new_stories[best.story_id], article, seen, known)
            else:
                joined[best.story_id].append(article)
        else:
            story = Story(
                pk=None, lead_id=article.pk, lead_chosen=False, size=1, first_seen=seen, last_seen=seen, created_at=now
            )
            article.story_id = -(len(new_stories) + 1)  # a placeholder until the story's id is allocated below
            new_stories[article.story_id] = story
            if best is not None:
                queued.append(
                    StoryCandidate(
                        article_id=article.pk,
                        match_id=best.pk,
                        story_id=best.story_id,
                        jaccard=round(best_similarity.jaccard, 4),
                        containment=round(best_similarity.containment, 4),
                        status=StoryCandidate.Status.PENDING,
                        created_at=now,
                    )
                )
        mine.story_id = article.story_id
        known[article.pk] = mine
        for key in own:
            batch_holders[key].append(article.pk)
    _insert_stories(articles, new_stories)
    _grow_stories(joined, known)
    for candidate in queued:
        if candidate.story_id < 0:
            candidate.story_id = new_stories[candidate.story_id].pk
    if queued:
        StoryCandidate.objects.bulk_create(queued)
    store_bands({article.pk: keys.get(article.pk, []) for article in articles})


def _verdict(score: Similarity, mine: _Known, other: _Known) -> str:
    """An outlet's own pieces that look alike (template daily outlooks) are not copies of each other: between two
    articles of one source (an aggregator's copy often keeps the original's footer) the same story needs Jaccard >=
    SAME_SOURCE_JACCARD or containment >= SAME_SOURCE_CONTAINMENT, and anything less is different, never queued."""
    verdict = score.verdict
    if verdict == SAME and mine.source_id is not None and mine.source_id == other.source_id:
        if score.jaccard >= SAME_SOURCE_JACCARD or score.containment >= SAME_SOURCE_CONTAINMENT:
            return SAME
        return DIFFERENT
    return verdict


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [STORY_LOCK])


def _stored_holders(wanted: list[int]) -> dict[int, list[int]]:
    holders = defaultdict(list)
    for start in range(0, len(wanted), KEYS_PER_QUERY):
        rows = StoryBand.objects.filter(key__in=wanted[start : start + KEYS_PER_QUERY]).values_list("key", "article_id")
        for key, pk in rows:
            holders[key].append(pk)
    return holders


def _load_known(pks: set[int], known: dict[int, _Known]) -> None:
    from articles.models import Article

    pks = sorted(pks - set(known))
    for start in range(0, len(pks), KEYS_PER_QUERY):
        rows = Article.objects.filter(pk__in=pks[start : start + KEYS_PER_QUERY]).values_list(
            "pk", "story_id", "source_id", "published_at", "created_at", "body", "word_count"
        )
        for pk, story_id, source_id, published_at, created_at, body, word_count in rows:
            known[pk] = _Known(pk, story_id, source_id, published_at or created_at, body, word_count)


def _insert_stories(articles: list, new_stories: dict[int, Story]) -> None:
    """Insert the stories this batch started (keyed by their negative placeholder ids) and point the batch's
    articles and queued candidates at their real ids."""
    if not new_stories:
        return
    for story, pk in zip(new_stories.values(), allocate_ids(Story, len(new_stories)), strict=True):
        story.pk = story.id = pk
    for article in articles:
        if article.story_id < 0:
            article.story_id = new_stories[article.story_id].pk
    insert_rows(Story, list(new_stories.values()))


def _grow_new_story(story: Story, article, seen, known: dict[int, _Known]) -> None:
    story.size += 1
    story.first_seen, story.last_seen = min(story.first_seen, seen), max(story.last_seen, seen)
    if _better_lead(article, seen, known[story.lead_id]):
        story.lead_id = article.pk


def _grow_stories(joined: dict[int, list], known: dict[int, _Known]) -> None:
    """Add the joining articles to their stories: size, first and last seen, and the lead (the earliest full
    version, unless an editor chose it: a later article that is longer by a quarter replaces a cut lead)."""
    if not joined:
        return
    stories = {story.pk: story for story in Story.objects.filter(pk__in=list(joined)).select_related(None)}
    leads = {pk: known.get(pk) for pk in {s.lead_id for s in stories.values()}}
    _load_known({pk for pk, value in leads.items() if value is None and pk is not None}, known)
    for story_id, members in joined.items():
        story = stories[story_id]
        lead = known.get(story.lead_id)
        for article in members:
            seen = seen_at(article)
            story.first_seen = min(filter(None, [story.first_seen, seen]))
            story.last_seen = max(filter(None, [story.last_seen, seen]))
            if not story.lead_chosen and (lead is None or _better_lead(article, seen, lead)):
                story.lead_id = article.pk
                lead = known[article.pk]
        Story.objects.filter(pk=story_id).update(
            size=F("size") + len(members), first_seen=story.first_seen, last_seen=story.last_seen, lead=story.lead_id
        )


def _better_lead(article, seen, lead: _Known) -> bool:
    if article.word_count > 1.25 * lead.word_count:
        return True
    return seen < lead.seen and article.word_count * 1.25 >= lead.word_count


def store_bands(keys: dict[int, list[int]]) -> None:
    """Store the band keys of the articles in `keys` (article id -> keys)."""
    rows = [{"key": key, "article_id": pk} for pk, found in keys.items() for key in found]
    for row, pk in zip(rows, allocate_ids(StoryBand, len(rows)), strict=True):
        row["id"] = pk
    insert_rows(StoryBand, rows)


def replace_bands(keys: dict[int, list[int]]) -> None:
    """Replace the band keys of articles whose text changed (an import's update)."""
    StoryBand.objects.filter(article_id__in=list(keys)).delete()
    store_bands(keys)
