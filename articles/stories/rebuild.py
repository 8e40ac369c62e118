"""Re-derive every article's story from its text (after a change of thresholds or of the cleaner), keeping what
editors decided: `python manage.py rebuild_stories`.

The archive is streamed in publication order (earliest first, as imports meet pieces), a chunk at a time: for each
chunk, band keys are computed again and the articles go through the import's own assignment (`assign.py`), so a
rebuild groups exactly as importing the archive afresh would. Memory holds one chunk, whatever the archive's size.

Editors' decisions are kept: a pinned article (`StoryPin`: moved, split off, merged, accepted or rejected from the
queue) stays in its story, which keeps its id and its chosen lead; other articles may still join it; a rejected
match is never joined again (`apart`). Pending queue entries are derived, so they are dropped and found again.
Stories that no editor touched are new rows after a rebuild (new ids); running it twice gives the same stories,
leads and queue. The whole rebuild is one transaction, under the lock imports take, so readers never see it
half done and no import interleaves.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Coalesce

from articles.stories import assign
from articles.stories.desk import refresh_stories
from articles.stories.models import Story, StoryBand, StoryCandidate, StoryPin
from articles.stories.signatures import band_keys

CHUNK = 500


@dataclass
class RebuildReport:
    articles: int = 0
    pinned: int = 0
    stories: int = 0
    queued: int = 0


def rebuild_stories(*, chunk_size: int = CHUNK, progress: Callable[[int, int], None] | None = None) -> RebuildReport:
    """Recompute the band keys and stories of every article (see the module's note) and return what it found;
    `progress(done, total)` is called after each chunk."""
    from articles.models import Article

    report = RebuildReport()
    with transaction.atomic():
        assign._lock()
        total = Article.objects.count()
        StoryBand.objects.all().delete()
        StoryCandidate.objects.filter(status=StoryCandidate.Status.PENDING).delete()
        kept = set(Story.objects.filter(articles__story_pin__isnull=False).values_list("pk", flat=True).distinct())
        order = Article.objects.annotate(seen=Coalesce("published_at", "created_at")).order_by("seen", "pk")
        ids = order.values_list("pk", flat=True).iterator(chunk_size=chunk_size)
        while chunk := list(islice(ids, chunk_size)):
            _rebuild_chunk(chunk, report)
            report.articles += len(chunk)
            if progress is not None:
                progress(report.articles, total)
        _drop_empty_stories()
        refresh_stories(kept & set(Story.objects.filter(pk__in=kept).values_list("pk", flat=True)))
        report.stories = Story.objects.count()
        report.queued = StoryCandidate.objects.filter(status=StoryCandidate.Status.PENDING).count()
    return report


def _rebuild_chunk(chunk: list[int], report: RebuildReport) -> None:
    from articles.models import Article

    fields = ["pk", "story_id", "source_id", "published_at", "created_at", "body", "word_count"]
    by_id = Article.objects.only(*fields).in_bulk(chunk)
    articles = [by_id[pk] for pk in chunk if pk in by_id]
    pinned = set(StoryPin.objects.filter(article_id__in=chunk).values_list("article_id", flat=True))
    keys = {article.pk: band_keys(article.body) for article in articles}
    assign.store_bands({pk: keys[pk] for pk in chunk if pk in pinned and pk in keys})
    free = [article for article in articles if article.pk not in pinned]
    report.pinned += len(articles) - len(free)
    if not free:
        return
    assign.assign_stories(free, keys, apart=_apart([a.pk for a in free]))
    Article.objects.bulk_update(free, ["story"], batch_size=CHUNK)


def _apart(pks: list[int]) -> dict[int, set[int]]:
    """Return, for each of these articles, the stories of the articles editors said it is not the same story as."""
    from articles.models import Article

    rejected = StoryCandidate.objects.filter(status=StoryCandidate.Status.REJECTED)
    pairs = list(rejected.filter(article_id__in=pks).values_list("article_id", "match_id"))
    pairs += [(b, a) for a, b in rejected.filter(match_id__in=pks).values_list("article_id", "match_id")]
    if not pairs:
        return {}
    stories = dict(Article.objects.filter(pk__in={b for _, b in pairs}).values_list("pk", "story_id"))
    apart = defaultdict(set)
    for article, partner in pairs:
        if stories.get(partner) is not None:
            apart[article].add(stories[partner])
    return apart


def _drop_empty_stories() -> None:
    """Delete the stories no article is in any more; a decided queue entry on one moves to its match's story."""
    from articles.models import Article

    empty = Story.objects.filter(~Exists(Article.objects.filter(story_id=OuterRef("pk"))))
    decided = StoryCandidate.objects.exclude(status=StoryCandidate.Status.PENDING).filter(story__in=empty)
    for candidate in decided.select_related("match"):
        target = candidate.match.story_id
        if not StoryCandidate.objects.filter(article_id=candidate.article_id, story_id=target).exists():
            StoryCandidate.objects.filter(pk=candidate.pk).update(story_id=target)
    while batch := list(empty.order_by("pk").values_list("pk", flat=True)[:CHUNK]):
        StoryCandidate.objects.filter(story_id__in=batch).delete()
        Story.objects.filter(pk__in=batch).delete()
