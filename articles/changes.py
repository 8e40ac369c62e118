"""The change log: every create, update, publish, unpublish and delete of an article, in the order it committed.

Every path that writes articles records its changes here in its own transaction, so a change is logged exactly when
it happens: `Article.save()` and `delete()` (the workflow, the admin, the API, history reverts) through the signals
connected in `connect()`, and the importer's multi-row writes, which no signal sees, by calling `record()` itself
(`ingest/write.py`).

Order. A partner follows the log with a cursor, and the cursor must never pass over a change that commits late. An
id from a sequence does not give that on PostgreSQL: two transactions take ids 7 and 8, the one with 8 commits
first, a reader reads 8 and moves its cursor past 7 before 7 is visible. So the rows are written without a place,
and `sequence_changes()` gives places afterwards, one numbering at a time (an advisory lock on PostgreSQL; SQLite
has one writer at a time anyway), to the committed rows that have none, in id order. A change committed later is
numbered later, and a reader sees a whole numbering or none of it: the positions a reader sees only ever grow at
the end. Two changes of one article are numbered in the order they happened, as the second writer waits on the
first's row lock before it writes its own change. The cost is a small write after the commit (by the scheduler,
and by the feed when it finds changes not numbered yet), rather than a lock every article writer would queue on.

Two numberings: `position` counts every change (the desk's feed), `public_position` only the changes readers could
see (the article public before or after), so an anonymous reader's cursor moves without gaps and tells nothing of
drafts.
"""

from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F, Max, OuterRef, Subquery
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from articles.ingest.rows import allocate_ids, insert_rows
from articles.models import Article, ArticleChange
from articles.webhooks.delivery import emit_article_changes

SEQUENCED_AT_ONCE = 5000
# The advisory lock the numbering holds on PostgreSQL (any constant; "news" in ASCII).
SEQUENCE_LOCK = 0x6E657773
# The advisory lock of the announcement of scheduled publications ("live" in ASCII).
GO_LIVE_LOCK = 0x6C697665
ANNOUNCED_AT_ONCE = 500

Kind = ArticleChange.Kind


def is_public(status, published_at, *, now=None) -> bool:
    """Return whether an article of `status` and `published_at` is one readers see (as `published()` says)."""
    return status == Article.Status.PUBLISHED and published_at is not None and published_at <= (now or timezone.now())


def kind_of(*, created: bool, public_before: bool, public_after: bool) -> str:
    """Return the kind of a change from what it did to the article's publication."""
    if public_after and not public_before:
        return Kind.PUBLISHED
    if public_before and not public_after:
        return Kind.UNPUBLISHED
    return Kind.CREATED if created else Kind.UPDATED


def record(articles, *, created: bool, public_before=None, using: str | None = None, now=None) -> None:
    """Append one change per article of `articles` (as they stand after the write, at `now`), in one INSERT.

    `public_before`: whether each was public before (a function of the article; default: public as it stands, for
    writes that leave the publication alone; nothing was public before a creation).
    """
    now = now or timezone.now()
    rows = []
    for article in articles:
        after = is_public(article.status, article.published_at, now=now)
        before = False if created else (public_before(article) if public_before else after)
        rows.append(
            ArticleChange(
                article_id=article.pk,
                revision=article.revision,
                kind=kind_of(created=created, public_before=before, public_after=after),
                public_before=before,
                public_after=after,
                occurred_at=now,
            )
        )
    if rows:
        _insert(rows, using)
        emit_article_changes(rows)


def _insert(rows: list[ArticleChange], using: str | None) -> None:
    """Insert `rows` as the import writes its own rows (ids allocated, multi-row INSERTs of plain values), which
    costs a fifth of `bulk_create`'s per-row work: a change is written with every article an import stores."""
    alias = using or DEFAULT_DB_ALIAS
    if alias != DEFAULT_DB_ALIAS:
        ArticleChange.objects.using(alias).bulk_create(rows)
        return
    with transaction.atomic():
        for row, pk in zip(rows, allocate_ids(ArticleChange, len(rows)), strict=True):
            row.pk = pk
        insert_rows(ArticleChange, rows)


# Whether an article was public after its latest recorded change, as an annotation of articles.
LAST_RECORDED_PUBLIC = Subquery(
    ArticleChange.objects.filter(article_id=OuterRef("pk")).order_by("-id").values("public_after")[:1]
)


def record_side_changes(article_ids, *, now=None) -> None:
    """Record an update of each article of `article_ids` whose public data changed without a save of it (quotes
    read by a task, a tag accepted from a suggestion), inside the caller's transaction.

    The articles are read again, locked, so the change says what they are now, not what a task read before an
    editor's save. Whether each was public before is what its latest change said, not what it is now: an article
    whose publication time came since it was saved, not announced yet, is announced `published` by this change
    (the scheduler's announcement then finds it done).
    """
    articles = list(
        Article.objects.select_for_update()
        .filter(pk__in=list(article_ids))
        .only("pk", "status", "published_at", "revision")
        .annotate(last_public=LAST_RECORDED_PUBLIC)
        .order_by("pk")
    )
    if not articles:
        return
    now = now or timezone.now()

    def public_before(article) -> bool:
        if article.last_public is None:  # no change kept (pruned): as it stands
            return is_public(article.status, article.published_at, now=now)
        return article.last_public

    record(articles, created=False, public_before=public_before, now=now)


def public_when_loaded(article) -> bool:
    """Return whether `article` was public as it was read from the database (as it stands, if it was not read)."""
    status, published_at = getattr(article, "_loaded_publication", (article.status, article.published_at))
    return is_public(status, published_at)


def _saved(sender, instance, created, raw=False, using=None, **kwargs):
    if raw:
        return  # loaddata
    record([instance], created=created, public_before=public_when_loaded, using=using)
    instance._loaded_publication = (instance.status, instance.published_at)  # a second save compares with this one


def _deleted(sender, instance, using=None, **kwargs):
    was = is_public(instance.status, instance.published_at)
    change = ArticleChange.objects.using(using).create(
        article_id=instance.pk,
        revision=instance.revision,
        kind=Kind.DELETED,
        public_before=was,
        public_after=False,
    )
    emit_article_changes([change])


def connect() -> None:
    """Record the changes of `Article.save()` and `delete()` (queryset deletes included: Django sends the signal
    for each row it deletes when a receiver listens)."""
    post_save.connect(_saved, sender=Article, dispatch_uid="article_change_saved")
    post_delete.connect(_deleted, sender=Article, dispatch_uid="article_change_deleted")


def sequence_changes(*, using: str = "default", limit: int = SEQUENCED_AT_ONCE) -> int:
    """Number the committed changes that have no place yet, in id order; return how many were numbered."""
    with transaction.atomic(using=using):
        connection = connections[using]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEQUENCE_LOCK])
        changes = ArticleChange.objects.using(using)
        pending = list(changes.filter(position__isnull=True).order_by("id")[:limit])
        if not pending:
            return 0
        top = changes.aggregate(position=Max("position"), public=Max("public_position"))
        position, public = top["position"] or 0, top["public"] or 0
        for change in pending:
            position += 1
            change.position = position
            if change.public_before or change.public_after:
                public += 1
                change.public_position = public
        changes.bulk_update(pending, ["position", "public_position"], batch_size=500)
    return len(pending)


def retention() -> timedelta:
    """Return how long changes (and so the tombstones of deletions) are kept (NEWSROOM_CHANGES_RETENTION_DAYS)."""
    return timedelta(days=settings.NEWSROOM_CHANGES_RETENTION_DAYS)


def prune_changes(now=None) -> int:
    """Delete the numbered changes older than the retention, the newest change aside; return how many went.

    Only a prefix of the numbering goes, so what is kept stays one unbroken run: a cursor before its start is one
    that missed changes (`oldest_kept`), and the newest change stays as the mark of where the numbering is.
    """
    cutoff = (now or timezone.now()) - retention()
    numbered = ArticleChange.objects.filter(position__isnull=False)
    found = numbered.aggregate(last=Max("position"))
    old = numbered.filter(occurred_at__lt=cutoff).aggregate(through=Max("position"))
    if found["last"] is None or old["through"] is None:
        return 0
    through = min(old["through"], found["last"] - 1)
    last_public = numbered.filter(public_position__isnull=False).aggregate(last=Max("position"))["last"]
    if last_public is not None:
        through = min(through, last_public - 1)  # the public numbering keeps its mark too
    deleted, _ = numbered.filter(position__lte=through).delete()
    return deleted


def announce_publications(now=None, *, limit: int = ANNOUNCED_AT_ONCE) -> int:
    """The scheduler's source of scheduled publications: record a `published` change (and so its webhooks) for each
    article whose publication time has come since it was saved; return how many.

    A published article with a publication time ahead is not public yet, so its save logged a change readers do not
    see. Nothing writes the article when its time comes, so without this the public change feed and the
    `article.published` webhook would miss it until its next edit. The candidates are the articles saved before
    their publication time (`updated_at < published_at`) whose time has come within the changes' retention, and
    whose latest change still says "not public"; recording the change makes the next tick skip them, so two
    schedulers (one after the other, under a lock on PostgreSQL) announce each once.
    """
    now = now or timezone.now()
    due = (
        Article.objects.filter(
            status=Article.Status.PUBLISHED,
            published_at__lte=now,
            published_at__gt=now - retention(),
            updated_at__lt=F("published_at"),
        )
        .annotate(last_public=LAST_RECORDED_PUBLIC)
        .filter(last_public=False)
        .order_by("published_at", "pk")
    )
    with transaction.atomic():
        connection = connections[due.db]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [GO_LIVE_LOCK])
        going_live = list(due[:limit])
        record(going_live, created=False, public_before=lambda article: False, now=now)
    return len(going_live)


def sequence_and_prune() -> int:
    """The scheduler's source: number what committed since the last tick, then prune; return the rows touched."""
    return sequence_changes() + prune_changes()


class Bounds(NamedTuple):
    """The first and last positions kept in one numbering (None if none), a mark of its last change, and whether
    committed changes wait for their places."""

    first: int | None
    last: int | None
    # The last change's id and time as stored: they tell it apart from an earlier change that had its place, in a
    # log emptied and filled again (a restored database), where a cache keyed by the position alone would serve
    # the old pages.
    mark: tuple
    unsequenced: bool


def bounds(*, public: bool) -> Bounds:
    """Return the bounds of the public (or the desk's) numbering, in one query of four index steps.

    Every page of the change feed asks this first, so it is one statement written out: the same four subqueries
    through the ORM cost ten times their execution in compiling. (SQLite reads MIN and MAX in one aggregate by
    scanning the index between them, every row of the log kept; each subquery here is one step down an index.)
    """
    connection = connections[ArticleChange.objects.db]
    meta = ArticleChange._meta

    def column(name: str) -> str:  # names from the model, quoted by the backend; no value of a request is in it
        return connection.ops.quote_name(meta.get_field(name).column)

    table, place = connection.ops.quote_name(meta.db_table), column("public_position" if public else "position")
    numbered = f"FROM {table} WHERE {place} IS NOT NULL ORDER BY {place}"
    id_column, time_column = column("id"), column("occurred_at")
    sql = (
        f"SELECT (SELECT {place} {numbered} ASC LIMIT 1), (SELECT {place} {numbered} DESC LIMIT 1), "  # noqa: S608
        f"(SELECT {id_column} {numbered} DESC LIMIT 1), (SELECT {time_column} {numbered} DESC LIMIT 1), "
        f"EXISTS (SELECT 1 FROM {table} WHERE {column('position')} IS NULL)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        first, last, last_id, last_time, unsequenced = cursor.fetchone()
    return Bounds(first, last, (last_id, last_time), bool(unsequenced))
