"""Schema migrations that do more than the ORM sees: the search index must survive them in both directions."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles.models import Article, fingerprint_in

BEFORE_INDEX_CHANGES = [("articles", "0006_published_index_covers_id")]


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
def test_lookups_by_fingerprint_and_slug_use_an_index():
    """The importer's identity lookups stay index lookups after the plain fingerprint and slug indexes went."""
    lookups = [
        Article.objects.filter(fingerprint_in(["0" * 64])),
        Article.objects.filter(slug="diplomatic-confusion"),
    ]
    for queryset in lookups:
        plan = queryset.explain()
        if connection.vendor == "sqlite":
            assert "SEARCH" in plan and "SCAN" not in plan, plan
        else:
            with connection.cursor() as cursor:  # a tiny table is scanned whatever the indexes: make scans dear
                cursor.execute("SET LOCAL enable_seqscan = off")
                plan = queryset.explain()
            assert "Index" in plan, plan
