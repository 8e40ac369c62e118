"""Articles through the API: reading, filtering, searching, ordering, paginating, caching and writing."""

import base64
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import search
from articles.models import Article, Author, Byline, Topic
from tests.api.conftest import ids

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"


def token(data) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode()


def detail(article) -> str:
    return f"{LIST}{article.pk}/"


# Reading


def test_anonymous_list_shows_only_published_articles_newest_first(anon, newsroom):
    response = anon.get(LIST)
    assert response.status_code == 200
    assert ids(response) == [a.pk for a in newsroom.published]
    assert response.json()["count"] == 3


def test_list_rows_are_summaries_without_the_body(anon, newsroom):
    row = anon.get(LIST).json()["results"][-1]
    assert "body" not in row and "body_html" not in row
    assert row["title"] == "Pipeline deal signed"
    assert row["summary"] == "A pipeline deal between two neighbours."
    assert row["source"] == {"id": newsroom.frontier.pk, "name": "The Frontier Post", "slug": "frontier"}
    assert [a["name"] for a in row["authors"]] == ["Alena Kazakova", "Web Desk"]
    assert sorted(row["tags"]) == ["energy", "trade"]
    assert row["url"].endswith(detail(newsroom.pipeline))


def test_detail_has_the_body_as_text_and_as_escaped_html(anon, make_article):
    article = make_article(
        "Markup",
        status=Article.Status.PUBLISHED,
        body="First <script>x</script> para.\n\n## A heading\n\n- one & two\n- three",
    )
    data = anon.get(detail(article)).json()
    assert data["body"].startswith("First <script>")
    assert data["body_html"] == (
        "<p>First &lt;script&gt;x&lt;/script&gt; para.</p>\n<h2>A heading</h2>\n"
        "<ul><li>one &amp; two</li><li>three</li></ul>"
    )


def test_detail_shows_ordered_authors_with_kind_and_role_and_links(anon, newsroom):
    Byline.objects.filter(article=newsroom.vote, position=1).update(role="Additional reporting")
    Author.objects.filter(name="Marat Ospanov").update(kind=Author.Kind.PERSON)
    data = anon.get(detail(newsroom.vote)).json()
    assert [(a["name"], a["position"], a["role"]) for a in data["authors"]] == [
        ("Marat Ospanov", 0, ""),
        ("Alena Kazakova", 1, "Additional reporting"),
    ]
    assert data["authors"][0]["kind"] == "person"
    assert data["topics"] == [{"id": newsroom.elections.pk, "name": "Elections", "slug": "elections"}]
    assert data["language"] == "ru"
    assert data["word_count"] == newsroom.vote.word_count and data["reading_minutes"] == 1
    assert data["links"]["self"].endswith(detail(newsroom.vote))
    assert data["links"]["source"].endswith(f"/api/v1/sources/{newsroom.astana.pk}/")
    assert "imports" not in data["links"]


def test_an_article_can_be_looked_up_by_slug(anon, newsroom):
    response = anon.get(f"{LIST}pipeline-deal-signed/")
    assert response.status_code == 200 and response.json()["id"] == newsroom.pipeline.pk


def test_a_slug_shared_by_two_sources_needs_the_source_to_choose(anon, newsroom, make_article):
    twin = make_article(
        "Pipeline deal signed", source=newsroom.astana, status=Article.Status.PUBLISHED, body="Another take."
    )
    ambiguous = anon.get(f"{LIST}pipeline-deal-signed/")
    assert ambiguous.status_code == 400 and "source" in ambiguous.json()["errors"]
    chosen = anon.get(f"{LIST}pipeline-deal-signed/?source=astana")
    assert chosen.json()["id"] == twin.pk


@pytest.mark.parametrize("which", ["draft", "scheduled", "review"])
def test_an_unpublished_article_is_a_404_to_anonymous_readers(anon, newsroom, which):
    article = getattr(newsroom, which)
    assert anon.get(detail(article)).status_code == 404
    assert anon.get(f"{LIST}{article.slug}/").status_code == 404


def test_staff_see_every_status_and_can_filter_by_it(client_for, editor, newsroom):
    client = client_for(editor)
    assert set(ids(client.get(LIST))) == {a.pk for a in Article.objects.all()}
    assert ids(client.get(LIST, {"status": "draft"})) == [newsroom.draft.pk]
    assert client.get(detail(newsroom.draft)).status_code == 200


def test_anonymous_filtering_by_draft_status_finds_nothing(anon, newsroom):
    assert ids(anon.get(LIST, {"status": "draft"})) == []


def test_sparse_fields_return_only_the_named_fields(anon, newsroom):
    rows = anon.get(LIST, {"fields": "id,title,published_at"}).json()["results"]
    assert all(set(row) == {"id", "title", "published_at"} for row in rows)
    assert set(anon.get(detail(newsroom.vote), {"fields": "id,body"}).json()) == {"id", "body"}


def test_unknown_sparse_fields_are_a_400(anon, newsroom):
    response = anon.get(LIST, {"fields": "id,secret"})
    assert response.status_code == 400 and "secret" in response.json()["errors"]["fields"][0]


# Filters


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"source": "frontier"}, ["market", "pipeline"]),
        ({"source": ["frontier", "astana"]}, ["market", "vote", "pipeline"]),
        ({"author": "alena-kazakova"}, ["vote", "pipeline"]),
        ({"author": "marat-ospanov"}, ["vote"]),
        ({"topic": "politics"}, ["market", "vote"]),
        ({"topic": "elections"}, ["vote"]),
        ({"tag": "trade"}, ["vote", "pipeline"]),
        ({"tag": ["energy", "trade"]}, ["vote", "pipeline"]),
        ({"tag": ["energy", "trade"], "tag_match": "all"}, ["pipeline"]),
        ({"language": "ru"}, ["vote"]),
        ({"status": "published"}, ["market", "vote", "pipeline"]),
    ],
)
def test_article_filters_select_the_matching_published_articles(anon, newsroom, params, expected):
    response = anon.get(LIST, params)
    assert response.status_code == 200, response.json()
    assert ids(response) == [getattr(newsroom, name).pk for name in expected]


def test_published_after_and_before_bound_the_publication_time(anon, newsroom):
    now = timezone.now()
    after = (now - timezone.timedelta(days=2, hours=12)).isoformat()
    before = (now - timezone.timedelta(days=1, hours=12)).isoformat()
    assert ids(anon.get(LIST, {"published_after": after, "published_before": before})) == [newsroom.vote.pk]


def test_updated_since_returns_only_what_changed(anon, newsroom):
    since = timezone.now()
    newsroom.vote.summary = "Changed."
    newsroom.vote.save()
    assert ids(anon.get(LIST, {"updated_since": since.isoformat()})) == [newsroom.vote.pk]


def test_the_topic_filter_includes_subtopics_without_repeating_an_article(anon, newsroom):
    newsroom.vote.topics.add(newsroom.politics)
    assert ids(anon.get(LIST, {"topic": "politics"})) == [newsroom.market.pk, newsroom.vote.pk]


# Search and ordering


def test_search_finds_body_words_ranks_title_hits_first_and_highlights_a_snippet(anon, newsroom, make_article):
    in_title = make_article(
        "Trade talks resume", status=Article.Status.PUBLISHED, body="Delegations met.", summary="Talks on trade."
    )
    response = anon.get(LIST, {"search": "trade"})
    assert ids(response) == [in_title.pk, newsroom.market.pk]
    first = response.json()["results"][0]
    assert first["rank"] > response.json()["results"][1]["rank"]
    assert "<mark>" in first["snippet"]


def test_a_search_with_more_matches_than_the_ranked_window_scores_the_newest_and_lists_older_ones_after(
    anon, make_article, monkeypatch
):
    monkeypatch.setattr(search, "RANKED_WINDOW", 3)
    published = Article.Status.PUBLISHED
    # Seven visible matches whose relevance does not follow their age, and a newer draft that must not take a slot.
    matches = [
        make_article(f"Note {n}", status=published, body=" ".join(["harbour"] * (1 + n * 3 % 5)) + f" news {n}.")
        for n in range(7)
    ]
    make_article("Draft harbour harbour harbour", body="harbour " * 9)
    pages = [anon.get(LIST, {"search": "harbour", "page_size": 2, "page": page}).json() for page in (1, 2, 3, 4)]
    rows = [row for page in pages for row in page["results"]]
    assert pages[0]["count"] == 7 and pages[3]["next"] is None
    assert sorted(row["id"] for row in rows) == sorted(a.pk for a in matches)  # each match once, across pages
    window, older = rows[:3], rows[3:]
    assert {row["id"] for row in window} == {a.pk for a in matches[-3:]}  # the newest three are scored first...
    assert [row["rank"] for row in window] == sorted((row["rank"] for row in window), reverse=True)  # ...best first
    assert [row["id"] for row in older] == sorted((row["id"] for row in older), reverse=True)  # then newest first
    assert all(isinstance(row["rank"], float) and "<mark>" in row["snippet"] for row in rows)


def test_a_deep_page_of_search_results_in_date_order_holds_only_matches(anon, make_article):
    now = timezone.now()
    for n in range(6):
        make_article(f"Harbour {n}", status=Article.Status.PUBLISHED, published_at=now - timezone.timedelta(hours=n))
        make_article(f"Inland {n}", status=Article.Status.PUBLISHED, published_at=now - timezone.timedelta(hours=n))
    page = anon.get(LIST, {"search": "harbour", "ordering": "-published_at", "page_size": 2, "page": 2}).json()
    assert page["count"] == 6
    assert [row["title"] for row in page["results"]] == ["Harbour 2", "Harbour 3"]
    assert all(row["rank"] > 0 and "<mark>" in row["snippet"] for row in page["results"])


def test_search_combines_with_the_status_and_source_filters(client_for, editor, make_article):
    make_article("Harbour news", status=Article.Status.PUBLISHED, source="Coast Daily")
    draft = make_article("Harbour draft", source="Coast Daily")
    make_article("Harbour elsewhere", status=Article.Status.PUBLISHED, source="Inland Post")
    response = client_for(editor).get(LIST, {"search": "harbour", "status": "draft", "source": draft.source.slug})
    assert response.status_code == 200 and ids(response) == [draft.pk]


@pytest.mark.parametrize("text", ["!!!", "—", "'\""])
def test_a_search_without_a_word_finds_nothing(anon, newsroom, text):
    response = anon.get(LIST, {"search": text})
    assert response.status_code == 200 and response.json()["count"] == 0 and response.json()["results"] == []


def test_a_page_across_the_ranked_window_costs_a_constant_number_of_queries(
    anon, make_article, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(search, "RANKED_WINDOW", 3)
    for n in range(8):
        make_article(f"Harbour {n}", status=Article.Status.PUBLISHED)
    # count, the window's ids, its rows on the page, the older rows, relations (3), snippets
    with django_assert_max_num_queries(9):  # one more: the sizes of the page's stories
        response = anon.get(LIST, {"search": "harbour", "page_size": 4, "page": 1})
    assert len(response.json()["results"]) == 4


@pytest.mark.parametrize("ordering", [None, "-published_at"])
def test_page_numbers_reach_a_searchs_first_matches_and_cursors_walk_them_all(
    anon, make_article, monkeypatch, ordering
):
    monkeypatch.setattr(search, "SEARCH_COUNT_MAX", 3)
    monkeypatch.setattr("articles.api.pagination.SEARCH_COUNT_MAX", 3)
    matches = [make_article(f"Harbour {n}", status=Article.Status.PUBLISHED) for n in range(5)]
    params = {"search": "harbour", "page_size": 2, **({"ordering": ordering} if ordering else {})}
    second = anon.get(LIST, {**params, "page": 2}).json()
    assert second["count"] == 3 and len(second["results"]) == 1 and second["next"] is None
    past = anon.get(LIST, {**params, "page": 3})
    assert past.status_code == 404 and "cursor" in past.json()["detail"]
    walked, url = [], f"{LIST}?search=harbour&pagination=cursor&page_size=2"
    while url:
        page = anon.get(url).json()
        walked += [row["id"] for row in page["results"]]
        url = page["next"]
    assert sorted(walked) == sorted(a.pk for a in matches)


def test_search_snippets_escape_the_article_text(anon, make_article):
    make_article("Markup", status=Article.Status.PUBLISHED, body="A <script>alert(1)</script> in the harbour text.")
    snippet = anon.get(LIST, {"search": "harbour"}).json()["results"][0]["snippet"]
    assert "<script>" not in snippet and "alert(1)" in snippet and "<mark>harbour</mark>" in snippet


def test_search_never_returns_unpublished_articles_to_anonymous_readers(anon, newsroom):
    assert ids(anon.get(LIST, {"search": "not yet"})) == []


def test_search_results_can_be_ordered_by_date_instead_of_relevance(anon, newsroom, make_article):
    older = make_article(
        "Trade week",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timezone.timedelta(days=9),
        body="Trade, trade and more trade.",
    )
    assert ids(anon.get(LIST, {"search": "trade"})) == [older.pk, newsroom.market.pk]
    by_date = anon.get(LIST, {"search": "trade", "ordering": "-published_at"})
    assert ids(by_date) == [newsroom.market.pk, older.pk]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("-published_at", ["market", "vote", "pipeline"]),
        ("published_at", ["pipeline", "vote", "market"]),
        ("title", ["market", "vote", "pipeline"]),
        ("-title", ["pipeline", "vote", "market"]),
    ],
)
def test_articles_can_be_ordered_by_the_allowed_fields(anon, newsroom, ordering, expected):
    assert ids(anon.get(LIST, {"ordering": ordering})) == [getattr(newsroom, name).pk for name in expected]


def test_ordering_by_updated_at_follows_the_latest_change(anon, newsroom):
    newsroom.pipeline.save()
    assert ids(anon.get(LIST, {"ordering": "-updated_at"}))[0] == newsroom.pipeline.pk
    assert ids(anon.get(LIST, {"ordering": "updated_at"}))[-1] == newsroom.pipeline.pk


@pytest.mark.parametrize("ordering", ["body", "word_count", "id", "-fingerprint"])
def test_ordering_by_any_other_field_is_a_400(anon, newsroom, ordering):
    response = anon.get(LIST, {"ordering": ordering})
    assert response.status_code == 400 and "ordering" in response.json()["errors"]


def test_relevance_ordering_without_a_search_is_a_400(anon, newsroom):
    response = anon.get(LIST, {"ordering": "relevance"})
    assert response.status_code == 400 and "search" in response.json()["errors"]["ordering"][0]


# Pagination


@pytest.fixture
def many(make_article):
    now = timezone.now()
    return [
        make_article(
            f"Story {n:02}",
            status=Article.Status.PUBLISHED,
            published_at=now - timezone.timedelta(minutes=n),
            authors=[f"Writer {n % 3}"],
        )
        for n in range(25)
    ]


def test_page_number_pagination_walks_pages_with_count_and_links(anon, many):
    first = anon.get(LIST, {"page_size": 10}).json()
    assert first["count"] == 25 and len(first["results"]) == 10 and first["previous"] is None
    third = anon.get(first["next"].replace("page=2", "page=3")).json()
    assert [row["title"] for row in third["results"]] == [f"Story {n:02}" for n in range(20, 25)]
    assert third["next"] is None and "page=2" in third["previous"]


def test_a_deep_page_holds_the_rows_a_plain_offset_would(anon, many):
    page = anon.get(LIST, {"page_size": 4, "page": 4}).json()
    assert [row["title"] for row in page["results"]] == [f"Story {n:02}" for n in range(12, 16)]


def test_a_page_past_the_end_is_a_404_in_json(anon, many):
    response = anon.get(LIST, {"page": 99})
    assert response.status_code == 404 and "past the last page" in response.json()["detail"]


@pytest.mark.parametrize(
    "params",
    [{"page_size": 101}, {"page_size": 0}, {"page_size": "ten"}, {"page": "x"}, {"page": -1}, {"pagination": "offset"}],
)
def test_bad_page_parameters_are_a_400(anon, many, params):
    response = anon.get(LIST, params)
    assert response.status_code == 400
    assert set(response.json()["errors"]) & {"page", "page_size", "pagination"}


def test_cursor_pagination_walks_everything_once_and_ignores_later_inserts(anon, many, make_article):
    seen, url = [], f"{LIST}?pagination=cursor&page_size=7"
    first = anon.get(url).json()
    assert first["count"] is None
    seen += [row["title"] for row in first["results"]]
    make_article("Breaking", status=Article.Status.PUBLISHED, published_at=timezone.now())
    url = first["next"]
    while url:
        page = anon.get(url).json()
        seen += [row["title"] for row in page["results"]]
        url = page["next"]
    assert seen == [f"Story {n:02}" for n in range(25)]


def test_cursor_pagination_by_updated_at_syncs_in_change_order(anon, many):
    many[0].save()
    pages = anon.get(LIST, {"pagination": "cursor", "ordering": "updated_at", "page_size": 30}).json()
    assert pages["results"][-1]["id"] == many[0].pk


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage!",
        "bm90IGpzb24",
        token({"o": "-published_at", "v": "yesterday", "i": 1}),
        token({"o": "title", "v": "2024-01-01T00:00:00+00:00", "i": 1}),
        token({"o": "-published_at", "v": "2024-01-01T00:00:00", "i": 1}),
    ],
)
def test_a_bad_cursor_is_a_400(anon, many, cursor):
    response = anon.get(LIST, {"cursor": cursor})
    assert response.status_code == 400 and "cursor" in response.json()["errors"]


def test_cursor_pagination_refuses_an_ordering_it_cannot_seek(anon, many):
    response = anon.get(LIST, {"pagination": "cursor", "ordering": "title"})
    assert response.status_code == 400 and "ordering" in response.json()["errors"]


# Conditional GET


def test_list_and_detail_carry_validators_and_answer_304_to_a_matching_etag(anon, newsroom):
    for url in (LIST, detail(newsroom.vote)):
        first = anon.get(url)
        assert first["ETag"].startswith('W/"') and first.has_header("Last-Modified")
        again = anon.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304 and again["ETag"] == first["ETag"] and not again.content


def test_a_change_to_an_article_changes_the_etags(anon, newsroom):
    list_etag, detail_etag = anon.get(LIST)["ETag"], anon.get(detail(newsroom.vote))["ETag"]
    newsroom.vote.title = "Parliament passes reform"
    newsroom.vote.save()
    assert anon.get(LIST, HTTP_IF_NONE_MATCH=list_etag).status_code == 200
    assert anon.get(detail(newsroom.vote), HTTP_IF_NONE_MATCH=detail_etag).status_code == 200


def test_a_removed_article_changes_the_list_etag(anon, newsroom):
    etag = anon.get(LIST)["ETag"]
    newsroom.market.delete()
    assert anon.get(LIST, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_detail_answers_304_to_if_modified_since(anon, newsroom):
    last_modified = anon.get(detail(newsroom.vote))["Last-Modified"]
    assert anon.get(detail(newsroom.vote), HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304


def test_staff_and_readers_get_different_etags_for_the_same_list(anon, client_for, editor, newsroom):
    assert anon.get(LIST)["ETag"] != client_for(editor).get(LIST)["ETag"]


# Query counts


@pytest.mark.parametrize("page_size", [1, 20, 100])
def test_the_list_costs_a_constant_number_of_queries_whatever_the_page_size(
    anon, make_article, django_assert_max_num_queries, page_size
):
    economy = Topic.objects.create(name="Economy")
    now = timezone.now()
    for n in range(100):
        article = make_article(
            f"Piece {n}",
            status=Article.Status.PUBLISHED,
            published_at=now - timezone.timedelta(minutes=n),
            authors=[f"Author {n % 7}", f"Author {(n + 1) % 7}"],
            source=f"Outlet {n % 4}",
        )
        article.topics.add(economy)
        article.tags.add(f"tag{n % 5}", "common")
    # count, the page's keys and stamps (all a 304 or the server's kept copy needs), the page's rows in full with
    # the sizes of their stories, bylines with their authors, topics, tags
    with django_assert_max_num_queries(6):
        response = anon.get(LIST, {"page_size": page_size})
    assert len(response.json()["results"]) == page_size
    # a search: count, the ranked window, the page's rows, its relations, its stories' sizes, ranks and snippets
    with django_assert_max_num_queries(8):
        response = anon.get(LIST, {"page_size": page_size, "page": 2 if page_size < 100 else 1, "search": "piece"})
    assert response.status_code == 200


def test_the_detail_costs_a_constant_number_of_queries(anon, newsroom, django_assert_max_num_queries):
    # the article, its latest quote (the ETag), bylines, topics, tags, its story's size, its quotes
    with django_assert_max_num_queries(7):
        assert anon.get(detail(newsroom.pipeline)).status_code == 200


@pytest.mark.parametrize("address", ["list", "detail"])
def test_a_page_the_server_keeps_is_answered_from_its_keys_and_stamps_alone(anon, newsroom, address):
    url = LIST if address == "list" else detail(newsroom.pipeline)
    first = anon.get(url)
    with CaptureQueriesContext(connection) as queries:
        again = anon.get(url)
    assert again.json() == first.json() and again["ETag"] == first["ETag"]
    assert len(queries) <= 2 and not any('"title"' in query["sql"] for query in queries), queries.captured_queries

    Article.objects.filter(pk=newsroom.pipeline.pk).update(title="Pipeline deal signed, corrected")
    assert anon.get(url).json() == first.json()  # an update no save made: the stamps say nothing changed
    newsroom.pipeline.refresh_from_db()
    newsroom.pipeline.save()  # a save moves the stamps: the page is read again in full
    changed = anon.get(url).json()
    titles = [row["title"] for row in changed["results"]] if address == "list" else [changed["title"]]
    assert "Pipeline deal signed, corrected" in titles


def test_a_304_skips_loading_relations(anon, newsroom, django_assert_max_num_queries):
    etag = anon.get(LIST)["ETag"]
    with django_assert_max_num_queries(2):
        assert anon.get(LIST, HTTP_IF_NONE_MATCH=etag).status_code == 304


# Writes


def test_an_editor_creates_an_article_with_ordered_bylines_topics_and_tags(client_for, editor, newsroom):
    marat = Author.objects.get(name="Marat Ospanov")
    payload = {
        "title": "New  piece",
        "summary": "Short.",
        "body": "Fresh text.\n\n## More\n\nEven more.",
        "source_id": newsroom.frontier.pk,
        "bylines": [{"author": marat.pk, "role": ""}, {"author": newsroom.alena.pk, "role": "Photos"}],
        "topic_ids": [newsroom.economy.pk],
        "tags": ["energy", "New Tag"],
        "language": "kk",
    }
    response = client_for(editor).post(LIST, payload, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["title"], data["slug"], data["status"], data["word_count"]) == ("New piece", "new-piece", "draft", 5)
    assert [(a["name"], a["role"]) for a in data["authors"]] == [("Marat Ospanov", ""), ("Alena Kazakova", "Photos")]
    assert data["topics"][0]["slug"] == "economy" and sorted(data["tags"]) == ["New Tag", "energy"]
    assert Article.objects.get(pk=data["id"]).source == newsroom.frontier


def test_read_only_fields_sent_by_a_client_are_ignored(client_for, editor, newsroom):
    payload = {
        "title": "Sneaky",
        "body": "Text.",
        "id": 999,
        "status": "published",
        "published_at": "2020-01-01T00:00:00Z",
        "fingerprint": "f" * 64,
        "revision": 50,
        "word_count": 1000,
        "created_at": "2000-01-01T00:00:00Z",
    }
    data = client_for(editor).post(LIST, payload, format="json").json()
    article = Article.objects.get(pk=data["id"])
    assert data["id"] != 999 and article.status == "draft" and article.published_at is None
    assert article.fingerprint != "f" * 64 and article.revision == 1 and article.word_count == 1
    assert article.created_at.year == timezone.now().year


def test_a_title_whose_slug_is_taken_gets_a_numbered_slug(client_for, editor, newsroom):
    payload = {"title": "Pipeline deal signed", "body": "Different text.", "source_id": newsroom.frontier.pk}
    assert client_for(editor).post(LIST, payload, format="json").json()["slug"] == "pipeline-deal-signed-2"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (lambda n: {"body": "No title."}, "title"),
        (lambda n: {"title": "Same text", "body": "Stocks rose across the region as trade picked up."}, "body"),
        (lambda n: {"title": "Taken", "slug": "markets-rally", "source_id": n.frontier.pk}, "slug"),
        (lambda n: {"title": "Bad source", "source_id": 10**30}, "source_id"),
        (lambda n: {"title": "Bad source", "source_id": "abc"}, "source_id"),
        (lambda n: {"title": "Twice", "bylines": [{"author": n.alena.pk}, {"author": n.alena.pk}]}, "bylines"),
        (lambda n: {"title": "Tags", "tags": "not-a-list"}, "tags"),
        (lambda n: {"title": "Tags", "tags": [""]}, "tags"),
        (lambda n: {"title": "x" * 501}, "title"),
    ],
)
def test_invalid_article_writes_are_a_400_naming_the_field(client_for, editor, newsroom, payload, field):
    response = client_for(editor).post(LIST, payload(newsroom), format="json")
    assert response.status_code == 400 and field in response.json()["errors"], response.json()


def test_patch_changes_only_the_given_fields_and_bumps_the_revision(client_for, editor, newsroom):
    response = client_for(editor).patch(detail(newsroom.vote), {"summary": "New summary."}, format="json")
    assert response.status_code == 200
    newsroom.vote.refresh_from_db()
    assert newsroom.vote.summary == "New summary." and newsroom.vote.title == "Parliament votes on reform"
    assert newsroom.vote.revision == 2 and response.json()["revision"] == 2


def test_put_replaces_the_article_and_its_relations(client_for, editor, newsroom):
    payload = {"title": "Rewritten", "body": "All new.", "bylines": [], "topic_ids": [], "tags": ["one"]}
    data = client_for(editor).put(detail(newsroom.vote), payload, format="json").json()
    assert (data["title"], data["authors"], data["topics"], data["tags"]) == ("Rewritten", [], [], ["one"])


def test_delete_removes_the_article(client_for, editor, newsroom):
    assert client_for(editor).delete(detail(newsroom.vote)).status_code == 204
    assert not Article.objects.filter(pk=newsroom.vote.pk).exists()


def test_publishing_a_draft_makes_it_public_and_records_who(client_for, editor, anon, newsroom):
    response = client_for(editor).post(f"{detail(newsroom.draft)}publish/", format="json")
    assert response.status_code == 200 and response.json()["status"] == "published"
    assert anon.get(detail(newsroom.draft)).status_code == 200
    assert newsroom.draft.history.first().history_user == editor


def test_publishing_at_a_future_time_schedules_the_article(client_for, editor, anon, newsroom):
    when = timezone.now() + timezone.timedelta(days=2)
    response = client_for(editor).post(f"{detail(newsroom.draft)}publish/", {"at": when.isoformat()}, format="json")
    assert response.json()["status"] == "published"
    assert anon.get(detail(newsroom.draft)).status_code == 404


def test_unpublishing_takes_an_article_back_to_draft(client_for, editor, anon, newsroom):
    response = client_for(editor).post(f"{detail(newsroom.vote)}unpublish/")
    assert response.status_code == 200 and response.json()["status"] == "draft"
    assert anon.get(detail(newsroom.vote)).status_code == 404


def test_review_and_archive_actions_move_an_article_through_the_workflow(client_for, editor, newsroom):
    client = client_for(editor)
    assert client.post(f"{detail(newsroom.draft)}review/").json()["status"] == "review"
    assert client.post(f"{detail(newsroom.vote)}archive/").json()["status"] == "archived"


def test_a_repeated_request_is_answered_from_the_rendered_copy_without_reloading_relations(
    anon, newsroom, django_assert_max_num_queries
):
    first = anon.get(LIST)
    with django_assert_max_num_queries(1):  # the page's rows, to check they are unchanged
        again = anon.get(LIST)
    assert again.json() == first.json() and again["ETag"] == first["ETag"]


def test_the_rendered_copy_is_not_served_once_an_article_on_the_page_changes(anon, newsroom):
    anon.get(LIST)
    newsroom.market.title = "Markets slump"
    newsroom.market.save()
    assert anon.get(LIST).json()["results"][0]["title"] == "Markets slump"
