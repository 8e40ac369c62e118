"""The article list: columns, filters, full-text search, and a cost that does not grow with the table."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.admin.changelists import CappedCountPaginator
from articles.models import Article, Author, Byline, ImportBatch, ImportRecord, Topic
from tests.admin.conftest import CHANGELIST

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [article.title for article in response.context["cl"].result_list]


def make_many(make_article, count, **fields):
    for n in range(count):
        make_article(f"Story {n}", authors=[f"Writer {n}", f"Desk {n % 3}"], source=f"Outlet {n % 4}", **fields)


def warn(article, warnings=("A hyphen was left alone",)):
    batch = ImportBatch.objects.create()
    ImportRecord.objects.create(
        batch=batch,
        article=article,
        origin="x.txt",
        raw=b"x",
        raw_sha256="0" * 64,
        outcome="created",
        warnings=list(warnings),
    )


def test_the_list_shows_the_byline_in_order(login, superuser, make_article):
    make_article("Two hands", authors=["Zoe Last", "Adam First"])
    response = login(superuser).get(CHANGELIST)
    assert b"Zoe Last, Adam First" in response.content


@pytest.mark.parametrize("count", [5, 50])
def test_the_list_costs_the_same_queries_for_5_or_50_articles(
    login, superuser, make_article, count, django_assert_max_num_queries
):
    make_many(make_article, count)
    Article.objects.filter(title="Story 1").update(duplicate_of=Article.objects.first())
    warn(Article.objects.first())
    client = login(superuser)
    # The status counts ("All (n) | Draft (n)") are one, shared with the status filter; the filters' counts are
    # one each (languages, warnings, duplicates, scheduled).
    with django_assert_max_num_queries(14):
        response = client.get(CHANGELIST)
    assert len(titles(response)) == count


@pytest.mark.parametrize("count", [5, 50])
def test_a_search_costs_the_same_queries_for_5_or_50_matches(
    login, superuser, make_article, count, django_assert_max_num_queries
):
    make_many(make_article, count)
    client = login(superuser)
    with django_assert_max_num_queries(14):  # as the list, whatever the search
        response = client.get(CHANGELIST, {"q": "paragraph"})
    assert len(titles(response)) == count


def test_the_list_never_counts_the_whole_table(login, superuser, make_article):
    """The rows are counted capped; the counts of the whole table are grouped by an indexed column (the status
    counts, the languages) or restricted by one (the filters' yes counts): none is a bare COUNT of every row."""
    make_many(make_article, 3)
    client = login(superuser)
    with CaptureQueriesContext(connection) as queries:
        client.get(CHANGELIST)
    counts = [q["sql"].upper() for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    grouped = [sql for sql in counts if sql.startswith('SELECT "ARTICLES_ARTICLE"."STATUS"') and "GROUP BY" in sql]
    assert len(grouped) == 1, "the status counts are one grouped query"
    rows = [sql for sql in counts if "LIMIT" in sql]
    assert len(rows) == 1, "the list should count its rows once, capped"
    filters = [sql for sql in counts if sql not in grouped and sql not in rows]
    assert len(filters) == 4, "languages, warnings, duplicates, scheduled"
    assert all(" WHERE " in sql or "GROUP BY" in sql for sql in filters)


def test_a_result_larger_than_the_cap_says_more_than(login, superuser, make_article, monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "cap", 3)
    make_many(make_article, 5)
    response = login(superuser).get(CHANGELIST)
    assert b"More than 3 articles" in response.content


def test_search_finds_an_article_by_a_word_of_its_body_best_match_first(login, superuser, make_article):
    make_article(
        "Harvest report", summary="A late wheat harvest.", body="The wheat harvest in Kostanay was late this year."
    )
    make_article("Grain", body="Wheat prices rose. Wheat exports fell. Wheat, wheat everywhere.")
    make_article("Unrelated", body="Nothing about crops here.")
    response = login(superuser).get(CHANGELIST, {"q": "wheat"})
    assert sorted(titles(response)) == ["Grain", "Harvest report"]
    assert b"<mark>" in response.content


def test_search_results_come_best_match_first(login, superuser, make_article):
    make_article("Market notes", body="Prices were steady; one trader mentioned barley once.")
    make_article("Barley harvest breaks records", summary="Barley everywhere.", body="Barley, barley and barley.")
    response = login(superuser).get(CHANGELIST, {"q": "barley"})
    assert titles(response) == ["Barley harvest breaks records", "Market notes"]


def test_a_search_with_more_matches_than_are_ranked_keeps_the_list_order(login, superuser, make_article, monkeypatch):
    from articles.admin import changelists

    monkeypatch.setattr(changelists, "RANKED_MATCHES_MAX", 1)
    make_article("Barley harvest breaks records", summary="Barley everywhere.", body="Barley, barley and barley.")
    make_article("Market notes", body="Prices were steady; one trader mentioned barley once.")
    make_article("Unrelated", body="Nothing about crops here.")
    response = login(superuser).get(CHANGELIST, {"q": "barley"})
    assert titles(response) == ["Market notes", "Barley harvest breaks records"]
    assert b"<mark>" in response.content


def test_search_by_number_opens_that_article(login, superuser, make_article):
    wanted = make_article("Number seven")
    make_article("Another")
    response = login(superuser).get(CHANGELIST, {"q": f"#{wanted.pk}"})
    assert titles(response) == ["Number seven"]


def test_search_snippets_are_escaped(login, superuser, make_article):
    make_article("Markup", summary="<script>alert(1)</script> wheat", body="wheat")
    response = login(superuser).get(CHANGELIST, {"q": "wheat"})
    assert b"<script>alert(1)" not in response.content


def test_filters_by_status_language_and_source(login, superuser, make_article):
    make_article("English draft", source="Dawn")
    make_article("Russian draft", language="ru", source="Kommersant")
    make_article("Live", status=Article.Status.PUBLISHED, source="Dawn")
    client = login(superuser)
    assert titles(client.get(CHANGELIST, {"status__exact": "published"})) == ["Live"]
    assert titles(client.get(CHANGELIST, {"language": "ru"})) == ["Russian draft"]
    dawn = Article.objects.get(title="Live").source
    assert sorted(titles(client.get(CHANGELIST, {"source": dawn.pk}))) == ["English draft", "Live"]


def test_the_source_filter_is_an_autocomplete_box_not_a_list_of_every_source(login, superuser, make_article):
    for n in range(30):
        make_article(f"Piece {n}", source=f"Outlet number {n}")
    response = login(superuser).get(CHANGELIST)
    assert b'data-filter-param="source"' in response.content
    source_filter = response.content.split(b'data-filter-title="source"')[1].split(b"</details>")[0]
    assert b"Outlet number" not in source_filter


def test_filter_by_author_lists_each_article_once(login, superuser, make_article):
    make_article("Shared", authors=["Ann Lee", "Bo Chan"])
    make_article("Other", authors=["Bo Chan"])
    ann = Author.objects.get(name="Ann Lee")
    assert titles(login(superuser).get(CHANGELIST, {"author": ann.pk})) == ["Shared"]


def test_filter_by_topic_includes_its_subtopics(login, superuser, make_article):
    economy = Topic.objects.create(name="Economy")
    trade = Topic.objects.create(name="Trade", parent=economy)
    make_article("On trade").topics.add(trade)
    make_article("On economy").topics.add(economy, trade)
    make_article("Off topic")
    assert sorted(titles(login(superuser).get(CHANGELIST, {"topic": economy.pk}))) == ["On economy", "On trade"]


def test_filter_by_import_warnings_and_the_flag_in_the_list(login, superuser, make_article):
    warned = make_article("Warned")
    warn(warned)
    warn(make_article("Clean import"), warnings=())
    client = login(superuser)
    response = client.get(CHANGELIST, {"warnings": "yes"})
    assert titles(response) == ["Warned"]
    assert b"flag-warning" in response.content
    assert sorted(titles(client.get(CHANGELIST, {"warnings": "no"}))) == ["Clean import"]


def test_filter_by_scheduled_and_duplicates(login, superuser, make_article):
    later = timezone.now() + timezone.timedelta(days=1)
    make_article("Tomorrow", status=Article.Status.PUBLISHED, published_at=later)
    original = make_article("Original", status=Article.Status.PUBLISHED)
    make_article("Copy", duplicate_of=original)
    client = login(superuser)
    response = client.get(CHANGELIST, {"scheduled": "yes"})
    assert titles(response) == ["Tomorrow"] and b"flag-scheduled" in response.content
    response = client.get(CHANGELIST, {"duplicate": "yes"})
    assert titles(response) == ["Copy"] and b"Duplicate of #" in response.content


def test_the_date_hierarchy_offers_the_years_of_publication_and_drills_into_one(login, superuser, make_article):
    make_article("Old", status=Article.Status.PUBLISHED, published_at=timezone.now().replace(year=2021, month=3))
    make_article("New", status=Article.Status.PUBLISHED)
    client = login(superuser)
    years = [choice["title"] for choice in client.get(CHANGELIST).context["cl"].date_links["choices"]]
    assert years == [str(year) for year in range(2021, timezone.now().year + 1)]
    response = client.get(CHANGELIST, {"published_at__year": 2021})
    assert titles(response) == ["Old"]
    assert response.context["cl"].date_links["choices"][0]["title"] == "March 2021"


def test_bylines_are_loaded_in_one_query_for_the_whole_page(login, superuser, make_article):
    make_many(make_article, 10)
    client = login(superuser)
    with CaptureQueriesContext(connection) as queries:
        client.get(CHANGELIST)
    byline_queries = [q for q in queries.captured_queries if Byline._meta.db_table in q["sql"].split("FROM")[1]]
    assert len(byline_queries) == 1
