"""The desk's daily numbers: an import run's records added to the import tallies (`ImportTally`) when it ends.

Called when a run finishes or is interrupted (`runs.py`). Each batch remembers the last record it has tallied
(`tallied_through`), and the batch row is locked while its new records are counted, so a run that is resumed,
retried or ended twice adds each record once. One run's tally reads only that run's new records: the cost grows
with the run, never with the history.
"""

from collections import Counter
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from articles.models import Article, ImportBatch, ImportRecord, ImportTally

STORED_OUTCOMES = frozenset({"created", "updated", "unchanged", "duplicate", "conflict"})


def count_records(rows: Iterable[tuple], feed_pk: int) -> Counter:
    """Return the tallies of some records as a Counter keyed by (day, source_pk, feed_pk, measure).

    Each row is (created_at, outcome, source id or None, warnings, edits[, joined]) of one import record. A piece
    counts under its outcome; a stored one with warnings also under `warned`; a created one that joined a story
    another article already told (`joined`, a copy) also under `joined`; each of its edits under `repair:<rule>`.
    """
    counts = Counter()
    days = {}  # the local day of each minute met: time zones move by whole minutes, and a batch's rows share few
    for created_at, outcome, source_id, warnings, edits, *joined in rows:
        minute = created_at.replace(second=0, microsecond=0)
        day = days.get(minute)
        if day is None:
            day = days[minute] = timezone.localdate(minute)
        key = (day, source_id or 0, feed_pk)
        counts[(*key, outcome)] += 1
        if warnings and outcome in STORED_OUTCOMES:
            counts[(*key, "warned")] += 1
        if joined and joined[0] and outcome == "created":
            counts[(*key, "joined")] += 1
        for edit in edits or ():
            counts[(*key, f"repair:{edit.get('rule', 'unknown')}")] += 1
    return counts


def batch_feed(feed_id: int | None, options: dict) -> int:
    """Return the id of the feed whose poll made a batch, or 0: a poll's batch is linked to its feed as it is
    created and names the feed in its options too (batches of older polls were linked only once their import was
    done, after the tally)."""
    extra = (options or {}).get("extra") or {}
    return feed_id or int(extra.get("feed") or 0)


def tally_batch(batch_id: int) -> int:
    """Add the batch's records not yet tallied to the import tallies; return how many records were added."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().only("tallied_through", "feed_id", "options").get(pk=batch_id)
        records = ImportRecord.objects.filter(batch_id=batch_id, pk__gt=batch.tallied_through).order_by("pk")
        # A copy: its story already had an earlier article (ids are given in import order) when it was stored.
        earlier = Article.objects.filter(story_id=OuterRef("article__story_id"), pk__lt=OuterRef("article_id"))
        rows = list(
            records.annotate(joined=Exists(earlier)).values_list(
                "pk", "created_at", "outcome", "article__source_id", "warnings", "edits", "joined"
            )
        )
        if not rows:
            return 0
        add_counts(count_records((row[1:] for row in rows), batch_feed(batch.feed_id, batch.options)))
        ImportBatch.objects.filter(pk=batch_id).update(tallied_through=rows[-1][0])
    return len(rows)


def add_counts(counts: Counter) -> None:
    """Add `counts` to the tallies: an UPDATE of each existing row, an INSERT of each new one (racing another
    run's INSERT of the same row, the UPDATE again)."""
    for (day, source_pk, feed_pk, measure), number in counts.items():
        key = {"day": day, "source_pk": source_pk, "feed_pk": feed_pk, "measure": measure}
        if ImportTally.objects.filter(**key).update(count=F("count") + number):
            continue
        try:
            with transaction.atomic():
                ImportTally.objects.create(**key, count=number)
        except IntegrityError:
            ImportTally.objects.filter(**key).update(count=F("count") + number)
