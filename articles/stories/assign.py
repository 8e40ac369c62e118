"""Give each article an import stores its story, inside the import's transaction (called from `ingest/write.py`).

For each new article, in order: the articles sharing one of its LSH band keys (stored ones, from the band table,
and the batch's own earlier ones) are candidates; the best-placed few are verified by exact Jaccard similarity and
containment of their shingle sets (`matching.py`), within the publication window. A new article's set comes from
its staging worker; a stored candidate's from this process's memory of the sets it has met (`_SETS`, keyed by the
text's fingerprint, so an edited text is never verified by its old set), else from its body. A sure match joins
that story; a possible one starts a story of its own and goes to the editors' queue (`StoryCandidate`); otherwise
the article starts a new story. Its band keys are then stored, so the next article (in this batch or another
import) finds it. `plan_stories` decides, and the `StoryWrites` it returns write the rows once the batch's articles
are inserted.

Race safety: on PostgreSQL the step takes a transaction-level advisory lock first, so two imports assign stories
one after the other, and the second sees the first's bands once it has committed; on SQLite the import's IMMEDIATE
transaction already holds the database's only write lock.
"""

import datetime
from collections import Counter, OrderedDict, defaultdict
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import connection
from django.utils import timezone

from articles.ingest.rows import allocate_ids, insert_rows
from articles.stories import signatures
from articles.stories.matching import DIFFERENT, SAME, Similarity, similarity
from articles.stories.models import Story, StoryBand, StoryCandidate
from articles.stories.signatures import shingles

STORY_LOCK = 0x5703_1E5  # the advisory lock id of story assignment
CANDIDATES_VERIFIED = 8
KEYS_PER_QUERY = 900
HOLDER_KEYS_PER_QUERY = 4000  # under SQLite's default limit of 32,766 parameters and PostgreSQL's 65,535
SETS_KEPT = 10_000  # shingle sets kept in memory (about 2 KB each): the archive's most recently met texts
SAME_SOURCE_JACCARD = 0.6
SAME_SOURCE_CONTAINMENT = 0.8


@dataclass
class _Known:
    """What verification needs of an article: its story, source, time, length and shingle set."""

    pk: int
    story_id: int
    source_id: int | None
    seen: datetime.datetime
    word_count: int
    fingerprint: str
    shingles: np.ndarray | None = None


class _RecentSets:
    """The shingle sets of the texts this process met last (a bounded LRU keyed by content fingerprint)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._sets: OrderedDict[str, np.ndarray] = OrderedDict()

    def get(self, fingerprint: str) -> np.ndarray | None:
        found = self._sets.get(fingerprint) if fingerprint else None
        if found is not None:
            self._sets.move_to_end(fingerprint)
        return found

    def put(self, fingerprint: str, shingles: np.ndarray) -> None:
        if not fingerprint:
            return
        self._sets[fingerprint] = shingles
        self._sets.move_to_end(fingerprint)
        while len(self._sets) > self.size:
            self._sets.popitem(last=False)


_SETS = _RecentSets(SETS_KEPT)


def window() -> datetime.timedelta:
    return datetime.timedelta(days=getattr(settings, "NEWSROOM_STORY_WINDOW_DAYS", 30))


def seen_at(article) -> datetime.datetime:
    return article.published_at or article.created_at or timezone.now()


def assign_stories(articles: list, keys: dict[int, list[int]], **options) -> None:
    """Give each of `articles` its story and write the story rows at once (`plan_stories`, with its options, then
    its `write`): for articles already stored (a rebuild's)."""
    plan_stories(articles, keys, **options).write()


@dataclass
class StoryWrites:
    """The rows a batch's story assignment writes, once its articles are inserted (`write`).

    On SQLite, an article inserted while rows wait for theirs (deferred foreign keys) makes SQLite look up every
    column that points at articles, hence `Story.lead`'s index: without it, inserting a batch's articles scanned the
    story table for each and took twice as long. The story rows, written after their articles, point at rows that
    exist."""

    articles: list
    keys: dict[int, list[int]]
    new_stories: list["_NewStory"]
    joined: dict[int, list]
    known: dict[int, "_Known"]
    queued: list[StoryCandidate]

    def write(self) -> None:
        if self.new_stories:
            insert_rows(Story, [vars(story) for story in self.new_stories])
        _grow_stories(self.joined, self.known)
        if self.queued:
            StoryCandidate.objects.bulk_create(self.queued)
        store_bands({article.id: self.keys.get(article.id, []) for article in self.articles})


def plan_stories(
    articles: list,
    keys: dict[int, list[int]],
    *,
    sets: dict[int, bytes] | None = None,
    apart: dict[int, set[int]] | None = None,
) -> StoryWrites:
    """Set `story_id` on each of `articles` (new, ids allocated, not inserted yet) and return the writes that
    create and grow their stories, queue possible matches and store their band keys; `keys` maps an article's id
    to its band keys, `sets` to its shingle set as the staging worker computed it (`signatures.sketch`; computed
    here when missing). `apart` (a rebuild's): the stories an article must not join, by article id (editors
    rejected the match)."""
    if not articles or not signatures.ENABLED:
        return StoryWrites([], {}, [], {}, {}, [])
    _lock()
    now = timezone.now()
    wanted = sorted({key for article in articles for key in keys.get(article.id, [])})
    holders = _stored_holders(wanted)
    # The batch's own band keys, as they are met: the first article holding each, and the rest for a key held twice
    # or more (most keys are held once: a dict of lists for them all cost more than the rest of the loop).
    batch_first: dict[int, int] = {}
    batch_more: dict[int, list[int]] = {}
    known: dict[int, _Known] = {}
    span = window()
    # Only the best-placed stored candidates of each article are verified: load those, not every holder of a
    # common band key (template text shares bands with hundreds of pieces).
    stored_hits = {article.id: _hits(keys.get(article.id, ()), holders) for article in articles}
    wanted_known = {pk for hits in stored_hits.values() for pk, _count in hits.most_common(CANDIDATES_VERIFIED)}
    _load_known(wanted_known, known)
    _load_sets([candidate for candidate in known.values() if candidate.shingles is None])
    new_stories: dict[int, _NewStory] = {}
    joined: dict[int, list] = defaultdict(list)
    queued: list[StoryCandidate] = []
    for article in articles:
        own = keys.get(article.id, [])
        hits = stored_hits[article.id]
        shared = batch_first.keys() & own
        for key in shared:
            hits.update(batch_more.get(key) or (batch_first[key],))
        seen = seen_at(article)
        mine = _Known(article.id, 0, article.source_id, seen, article.word_count, article.fingerprint)
        if own:  # a text with too few shingles has no bands: never a candidate, never verified, no set needed
            mine.shingles = _own_set(article, sets)
            _SETS.put(mine.fingerprint, mine.shingles)
        best, best_score = None, None
        for pk, _count in hits.most_common(CANDIDATES_VERIFIED):
            if pk not in known:  # placed among the best only with the batch's own holders counted: rare
                _load_known({pk}, known)
            other = known[pk]
            if apart and other.story_id in apart.get(article.id, ()):
                continue
            if abs(other.seen - seen) > span:
                continue
            if other.shingles is None:
                _load_sets([other])
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
            story = _NewStory(lead_id=article.id, first_seen=seen, last_seen=seen, created_at=now)
            article.story_id = -(len(new_stories) + 1)  # a placeholder until the story's id is allocated below
            new_stories[article.story_id] = story
            if best is not None:
                queued.append(
                    StoryCandidate(
                        article_id=article.id,
                        match_id=best.pk,
                        story_id=best.story_id,
                        jaccard=round(best_similarity.jaccard, 4),
                        containment=round(best_similarity.containment, 4),
                        status=StoryCandidate.Status.PENDING,
                        created_at=now,
                    )
                )
        mine.story_id = article.story_id
        known[article.id] = mine
        for key in shared:
            batch_more.setdefault(key, [batch_first[key]]).append(article.id)
        batch_first.update(
            dict.fromkeys(own, article.id) if not shared else {k: article.id for k in own if k not in shared}
        )
    _number_stories(articles, new_stories)
    for candidate in queued:
        if candidate.story_id < 0:
            candidate.story_id = new_stories[candidate.story_id].id
    return StoryWrites(articles, keys, list(new_stories.values()), joined, known, queued)


def _hits(own, holders: dict[int, list[int]]) -> Counter:
    """Count, for each article holding one of the band keys `own`, how many of them it holds."""
    hits = Counter()
    for key in holders.keys() & own:
        hits.update(holders[key])
    return hits


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
    """Return the stored articles holding each of the `wanted` band keys (one plain indexed query per chunk: the
    ORM's compilation of a 900-value IN cost more than the query)."""
    holders = defaultdict(list)
    table = connection.ops.quote_name(StoryBand._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(wanted), HOLDER_KEYS_PER_QUERY):
            chunk = wanted[start : start + HOLDER_KEYS_PER_QUERY]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT key, article_id FROM {table} WHERE key IN ({marks})", chunk)  # noqa: S608
            for key, pk in cursor.fetchall():
                holders[key].append(pk)
    return holders


def _load_known(pks: set[int], known: dict[int, _Known]) -> None:
    """Load what verification needs of these stored articles (their shingle sets when this process has them)."""
    from articles.models import Article

    pks = sorted(pks - set(known))
    for start in range(0, len(pks), KEYS_PER_QUERY):
        rows = Article.objects.filter(pk__in=pks[start : start + KEYS_PER_QUERY]).values_list(
            "pk", "story_id", "source_id", "published_at", "created_at", "word_count", "fingerprint"
        )
        for pk, story_id, source_id, published_at, created_at, word_count, fingerprint in rows:
            seen = published_at or created_at
            known[pk] = _Known(pk, story_id, source_id, seen, word_count, fingerprint, _SETS.get(fingerprint))


def _load_sets(missing: list[_Known]) -> None:
    """Shingle the stored bodies of these known articles (their sets were not in memory) and remember the sets."""
    from articles.models import Article

    if not missing:
        return
    by_pk = {known.pk: known for known in missing}
    for pk, body in Article.objects.filter(pk__in=list(by_pk)).values_list("pk", "body"):
        known = by_pk[pk]
        known.shingles = shingles(body)
        _SETS.put(known.fingerprint, known.shingles)


def _own_set(article, sets: dict[int, bytes] | None) -> np.ndarray:
    found = (sets or {}).get(article.id)
    return np.frombuffer(found, dtype=np.uint32) if found else shingles(article.body)


@dataclass
class _NewStory:
    """A story a batch starts: its row's values, by column (a model instance costs more to build than to insert)."""

    lead_id: int
    first_seen: datetime.datetime
    last_seen: datetime.datetime
    created_at: datetime.datetime
    id: int | None = None
    size: int = 1
    lead_chosen: bool = False


def _number_stories(articles: list, new_stories: dict[int, _NewStory]) -> None:
    """Give the stories this batch started (keyed by their negative placeholder ids) their ids, and point the
    batch's articles at them."""
    if not new_stories:
        return
    for story, pk in zip(new_stories.values(), allocate_ids(Story, len(new_stories)), strict=True):
        story.id = pk
    for article in articles:
        if article.story_id < 0:
            article.story_id = new_stories[article.story_id].id


def _grow_new_story(story: _NewStory, article, seen, known: dict[int, _Known]) -> None:
    story.size += 1
    story.first_seen, story.last_seen = min(story.first_seen, seen), max(story.last_seen, seen)
    if _better_lead(article, seen, known[story.lead_id]):
        story.lead_id = article.id


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
                story.lead_id = article.id
                lead = known[article.id]
    # One prepared statement for all the batch's stories (the ORM's bulk_update builds a CASE per field and row);
    # the size grows by the joining articles, from the stored size: another import may have grown it since.
    table, adapt = connection.ops.quote_name(Story._meta.db_table), connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET size = size + %s, first_seen = %s, last_seen = %s, lead_id = %s WHERE id = %s",  # noqa: S608
            [
                (len(joined[story.pk]), adapt(story.first_seen), adapt(story.last_seen), story.lead_id, story.pk)
                for story in stories.values()
            ],
        )


def _better_lead(article, seen, lead: _Known) -> bool:
    if article.word_count > 1.25 * lead.word_count:
        return True
    return seen < lead.seen and article.word_count * 1.25 >= lead.word_count


def store_bands(keys: dict[int, list[int]]) -> None:
    """Store the band keys of the articles in `keys` (article id -> keys).

    A batch stores tens of thousands of band rows of two integers each, the most rows of any table: they go in as
    one statement, the database numbering them (on PostgreSQL one INSERT from two arrays, on SQLite the driver's
    prepared-statement loop), with no per-row work in Python beyond pairing key and article."""
    pairs = [(key, pk) for pk, found in keys.items() for key in found]
    if not pairs:
        return
    table = connection.ops.quote_name(StoryBand._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            columns = list(zip(*pairs, strict=True))
            cursor.execute(
                f"INSERT INTO {table} (key, article_id) SELECT * FROM unnest(%s::bigint[], %s::bigint[])",  # noqa: S608
                [list(columns[0]), list(columns[1])],
            )
        else:
            cursor.executemany(f"INSERT INTO {table} (key, article_id) VALUES (%s, %s)", pairs)  # noqa: S608


def replace_bands(keys: dict[int, list[int]]) -> None:
    """Replace the band keys of articles whose text changed (an import's update)."""
    StoryBand.objects.filter(article_id__in=list(keys)).delete()
    store_bands(keys)
