"""Schema migrations that do more than the ORM sees: the search index must survive them in both directions."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Q

from articles.models import Article, fingerprint_in

BEFORE_INDEX_CHANGES = [("articles", "0006_published_index_covers_id")]


def postgresql_plan(queryset) -> str:
    """Return PostgreSQL's plan for `queryset` with table scans made dear: a test's tiny table is scanned otherwise."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    return queryset.explain()


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_articles_stay_searchable_after_the_index_migration_and_its_reversal(make_article):
    """On SQLite, changing an index rebuilds the table, which drops the full-text triggers unless they are put back."""
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("articles")
    before = make_article("Harbour before", status=Article.Status.PUBLISHED)
    migrate(BEFORE_INDEX_CHANGES)
    try:
        with connection.cursor() as cursor:  # the reversed migration leaves a working full-text index
            cursor.execute(
                "INSERT INTO articles_article (created_at, updated_at, title, slug, summary, body, status, language, "
                "word_count, fingerprint, external_id, revision) VALUES "
                "(%s, %s, 'Harbour reversed', 'harbour-reversed', '', 'Harbour text.', 'draft', 'en', 2, 'f1', '', 1)",
                [before.created_at, before.created_at],
            )
    finally:
        migrate(latest)
    with connection.cursor() as cursor:  # the identity constraints are still there (unique, partial ones included)
        constraints = connection.introspection.get_constraints(cursor, Article._meta.db_table)
    for name in ["article_slug_unique_per_source", "article_slug_unique_without_source", "article_fingerprint_unique"]:
        assert constraints[name]["unique"], name
    after = make_article("Harbour after", status=Article.Status.PUBLISHED)
    found = set(Article.objects.search("harbour").values_list("title", flat=True))
    assert found == {before.title, "Harbour reversed", after.title}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lookup", "column", "index"),
    [
        (fingerprint_in(["0" * 64]), "fingerprint", "article_fingerprint_unique"),
        (Q(slug="diplomatic-confusion"), "slug", "article_slug_unique_per_source"),
    ],
)
def test_lookups_by_fingerprint_and_slug_use_their_unique_index(lookup, column, index):
    """The identity lookups stay index lookups after the plain fingerprint and slug indexes went."""
    queryset = Article.objects.filter(lookup).order_by().values("pk")
    if connection.vendor == "sqlite":
        plan = queryset.explain()  # SQLite names a unique constraint's index itself (sqlite_autoindex_...)
        assert "SEARCH articles_article USING" in plan and f"({column}=?)" in plan and "SCAN" not in plan, plan
    else:
        plan = postgresql_plan(queryset)
        assert index in plan and "Index Cond" in plan, plan


@pytest.mark.django_db
def test_the_importers_identity_lookup_uses_both_unique_indexes():
    queryset = Article.objects.filter(fingerprint_in(["0" * 64]) | Q(slug__in=["a", "b"])).order_by().values("pk")
    if connection.vendor == "sqlite":
        plan = queryset.explain()
        assert "MULTI-INDEX OR" in plan and "(fingerprint=?)" in plan and "(slug=?)" in plan, plan
        assert "SCAN" not in plan, plan
    else:
        plan = postgresql_plan(queryset)
        assert "article_fingerprint_unique" in plan and "article_slug_unique_per_source" in plan, plan


@pytest.mark.django_db(transaction=True)
def test_batches_left_unfinished_before_batch_status_are_marked_interrupted_with_their_counts():
    from django.utils import timezone

    from articles.models import ImportBatch

    before = [("articles", "0007_lookup_indexes_only")]
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("articles")
    migrate(before)
    try:
        old = MigrationExecutor(connection).loader.project_state(before).apps
        Batch, Record = old.get_model("articles", "ImportBatch"), old.get_model("articles", "ImportRecord")
        now = timezone.now()
        finished = Batch.objects.create(finished_at=now, counts={"created": 1})
        left = Batch.objects.create(started_at=now - timezone.timedelta(hours=2))
        last_record = now - timezone.timedelta(hours=1)
        minute = timezone.timedelta(minutes=1)
        for outcome, at in [("created", last_record - minute), ("created", last_record), ("failed", last_record)]:
            Record.objects.create(
                batch=left, origin="a.txt", raw=b"", raw_sha256="0" * 64, outcome=outcome, created_at=at
            )
        empty = Batch.objects.create(started_at=now - timezone.timedelta(hours=3))
    finally:
        migrate(latest)
    finished, left, empty = (ImportBatch.objects.get(pk=batch.pk) for batch in (finished, left, empty))
    assert (finished.status, finished.counts) == ("finished", {"created": 1})
    assert left.status == "interrupted" and left.finished_at == last_record
    assert left.counts == {"created": 2, "updated": 0, "unchanged": 0, "duplicate": 0, "conflict": 0, "failed": 1}
    assert empty.status == "interrupted" and empty.finished_at == empty.started_at and empty.counts["created"] == 0


@pytest.mark.django_db(transaction=True)
def test_the_index_with_positions_is_built_from_the_existing_articles_and_its_reversal_keeps_word_search(
    make_article,
):
    """Migration 0011 rebuilds SQLite's index with positions: articles from before it are found by phrase after it."""
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("articles")
    before = make_article("Solar farm approved", status=Article.Status.PUBLISHED, body="The council met.")
    migrate([("articles", "0010_queued_imports")])
    try:
        old = MigrationExecutor(connection).loader.project_state([("articles", "0010_queued_imports")]).apps
        older = old.get_model("articles", "Article").objects.create(
            title="Farm, then solar", slug="farm-then-solar", body="Farm news.", fingerprint="f2", revision=1
        )
        if connection.vendor == "sqlite":  # the columns-only index of 0002 is back, and kept by the triggers
            with connection.cursor() as cursor:
                cursor.execute("SELECT rowid FROM articles_article_fts WHERE articles_article_fts MATCH 'solar'")
                assert {row[0] for row in cursor.fetchall()} == {before.pk, older.pk}
    finally:
        migrate(latest)
    assert list(Article.objects.search('"solar farm"')) == [before]
    assert set(Article.objects.search("solar farm")) == {before, Article.objects.get(pk=older.pk)}


@pytest.mark.django_db(transaction=True)
def test_story_bands_stored_before_the_new_signatures_are_computed_again_and_stories_stay(make_article):
    """Keys of the earlier signatures would never meet a new article's: the migration replaces every article's band
    rows with the keys of today's signatures, and leaves the stories as they were."""
    from articles.stories.models import StoryBand
    from articles.stories.signatures import band_keys

    body = "\n\n".join(
        f"Paragraph {n} of the harbour story tells of cargo, cranes and the night shift." for n in range(6)
    )
    long, short = make_article("Harbour story", body=body), make_article("Brief", body="Two words.")
    stories = dict(Article.objects.values_list("pk", "story_id"))
    before = [("articles", "0024_merge_take_down_story_desk_suggestions_quotes")]
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("articles")
    migrate(before)
    try:
        StoryBand.objects.all().delete()
        StoryBand.objects.create(key=12345, article_id=long.pk)  # a key of the earlier scheme
    finally:
        migrate(latest)
    stored = sorted(StoryBand.objects.filter(article_id=long.pk).values_list("key", flat=True))
    assert stored == sorted(band_keys(body)) and len(stored) > 0
    assert not StoryBand.objects.filter(article_id=short.pk).exists()  # too few shingles: no bands, as on import
    assert dict(Article.objects.values_list("pk", "story_id")) == stories
