"""The querysets' table-level reads: publication span, languages, the topic tree, import warnings, a free slug."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from articles.models import Article, ImportBatch, ImportRecord, Source, Topic

pytestmark = pytest.mark.django_db


def at(year, month, day) -> datetime.datetime:
    return datetime.datetime(year, month, day, 12, tzinfo=datetime.UTC)


def record(article, *, warnings=(), outcome="created"):
    return ImportRecord.objects.create(
        batch=ImportBatch.objects.get_or_create(channel="python")[0],
        article=article,
        origin="piece.txt",
        raw=b"x",
        raw_sha256="0" * 64,
        outcome=outcome,
        warnings=list(warnings),
    )


def test_the_publication_span_is_the_first_and_last_publication_time_of_the_articles_asked_about(make_article):
    assert Article.objects.publication_span() is None
    make_article("Undated")
    assert Article.objects.publication_span() is None
    make_article("Old", status=Article.Status.PUBLISHED, published_at=at(2019, 5, 1), source="Dawn")
    make_article("Middle", status=Article.Status.PUBLISHED, published_at=at(2021, 1, 2), source="Kommersant")
    make_article("New", status=Article.Status.PUBLISHED, published_at=at(2024, 7, 3), source="Dawn")
    assert Article.objects.publication_span() == (at(2019, 5, 1), at(2024, 7, 3))
    assert Article.objects.filter(source__name="Kommersant").publication_span() == (at(2021, 1, 2), at(2021, 1, 2))


def test_languages_are_listed_once_each_in_order(make_article):
    make_article("One", language="ru")
    make_article("Two", language="en")
    make_article("Three", language="ru", source="Dawn")
    assert list(Article.objects.languages()) == ["en", "ru"]
    assert list(Article.objects.filter(source__name="Dawn").languages()) == ["ru"]


def test_the_topic_tree_gives_each_topic_its_depth_and_its_path_from_the_root():
    economy = Topic.objects.create(name="Economy")
    trade = Topic.objects.create(name="Trade", parent=economy)
    tariffs = Topic.objects.create(name="tariffs", parent=trade)
    arts = Topic.objects.create(name="Arts")
    with CaptureQueriesContext(connection) as queries:
        tree = Topic.objects.tree()
    assert len(queries.captured_queries) == 1
    assert {pk: node["depth"] for pk, node in tree.items()} == {economy.pk: 0, trade.pk: 1, tariffs.pk: 2, arts.pk: 0}
    assert tree[tariffs.pk]["path"] == (("economy", economy.pk), ("trade", trade.pk), ("tariffs", tariffs.pk))
    in_order = sorted(tree, key=lambda pk: tree[pk]["path"])
    assert in_order == [arts.pk, economy.pk, trade.pk, tariffs.pk]


def test_a_part_of_the_tree_starts_where_its_parents_are_left_out_and_a_loop_ends_it():
    economy = Topic.objects.create(name="Economy")
    trade = Topic.objects.create(name="Trade", parent=economy)
    assert Topic.objects.filter(pk=trade.pk).tree() == {trade.pk: {"depth": 0, "path": (("trade", trade.pk),)}}
    Topic.objects.filter(pk=economy.pk).update(parent=trade)  # written past the model's check, as data can be
    tree = Topic.objects.tree()
    assert tree[trade.pk]["path"] == (("economy", economy.pk), ("trade", trade.pk))


def test_import_warnings_count_only_for_imports_that_stored_the_piece(make_article):
    warned = make_article("Warned")
    clean = make_article("Clean import")
    typed = make_article("Typed in")
    failed = make_article("Failed again")
    record(warned, warnings=["A hyphen was left alone"])
    record(clean)
    record(failed, warnings=["Could not read"], outcome="failed")
    record(None, warnings=["An orphan record"])
    assert set(ImportRecord.objects.with_warnings().values_list("article_id", flat=True)) == {warned.pk, None}
    assert list(Article.objects.with_import_warnings()) == [warned]
    assert set(Article.objects.without_import_warnings()) == {clean, typed, failed}


def test_a_free_slug_is_the_slug_itself_when_nobody_uses_it(django_assert_num_queries, make_article):
    make_article("Harbour opens", slug="harbour-opens-2")
    make_article("Harbourside", slug="harbour-opens-extra")
    with django_assert_num_queries(1):
        assert Article.objects.free_slug("harbour-opens") == "harbour-opens"


def test_a_free_slug_takes_the_first_number_nobody_uses_in_one_query(django_assert_num_queries, make_article):
    dawn = Source.objects.create(name="Dawn")
    for slug in ["harbour", "harbour-2", "harbour-3", "harbour-5", "harbour-10", "harbourside"]:
        make_article(slug.title(), source=dawn, slug=slug)
    for n in range(6, 10):
        make_article(f"Harbour {n}", source=dawn, slug=f"harbour-{n}")
    with django_assert_num_queries(1):
        assert Article.objects.filter(source=dawn).free_slug("harbour") == "harbour-4"
    make_article("Harbour 4", source=dawn, slug="harbour-4")
    with django_assert_num_queries(1):
        assert Article.objects.filter(source=dawn).free_slug("harbour") == "harbour-11"
    assert Article.objects.filter(source__name="Kommersant").free_slug("harbour") == "harbour"


def test_a_numbered_slug_still_fits_the_field(make_article):
    long = "a" * 200
    make_article("Long", slug=long)
    free = Article.objects.free_slug(long)
    assert free == "a" * 198 + "-2" and len(free) == Article._meta.get_field("slug").max_length


def test_the_api_numbers_a_taken_slug_with_the_same_queries_however_many_numbers_are_taken(editor, make_article):
    client = APIClient()
    client.force_authenticate(editor)

    def post_counting_queries(title):
        with CaptureQueriesContext(connection) as queries:
            response = client.post("/api/v1/articles/", {"title": title, "body": f"{title} {timezone.now()}"})
        assert response.status_code == 201, response.json()
        return response.json()["slug"], len(queries.captured_queries)

    post_counting_queries("Warm-up")  # permissions and content types are cached by the first request
    make_article("Vote", source=None, slug="vote")
    first = post_counting_queries("Vote")
    for n in range(3, 40):
        make_article(f"Vote {n}", source=None, slug=f"vote-{n}")
    later = post_counting_queries("Vote")
    assert (first[0], later[0]) == ("vote-2", "vote-40")
    assert first[1] == later[1]
