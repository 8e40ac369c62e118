"""`?collapse=story`: one article per story, its lead (or the copy that matched), with the filters, the search and
paging, at a constant number of queries."""

import datetime

import pytest
from django.utils import timezone

from articles.ingest.importer import ImportOptions, import_files
from articles.models import Article, Source, Story
from tests.api.conftest import anon, generous_throttles  # noqa: F401  (fixtures)
from tests.stories.texts import cut_copy, lightly_edited, paragraphs, piece

pytestmark = pytest.mark.django_db
ARTICLES = "/api/v1/articles/"


def imported(*texts):
    files = [(f"{i}.txt", text.encode()) for i, text in enumerate(texts)]
    report = import_files(files, ImportOptions(status="published"))
    return [Article.objects.get(pk=r.article_id) for r in report.results]


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_collapse_lists_each_storys_lead_once(anon):  # noqa: F811
    lead, cut, edited, other = imported(piece(60), cut_copy(60), lightly_edited(60), piece(61))
    assert len({lead.story_id, cut.story_id, edited.story_id}) == 1
    assert ids(anon.get(ARTICLES)) == {lead.pk, cut.pk, edited.pk, other.pk}
    assert ids(anon.get(ARTICLES, {"collapse": "story"})) == {lead.pk, other.pk}
    rows = anon.get(ARTICLES, {"collapse": "story"}).json()["results"]
    assert {row["id"]: row["story"]["size"] for row in rows} == {lead.pk: 3, other.pk: 1}


def test_collapse_keeps_the_copy_that_matches_the_filters(anon):  # noqa: F811
    lead, cut, edited = imported(piece(62), cut_copy(62, source="Daily Courier"), lightly_edited(62))
    courier = Source.objects.get(name="Daily Courier")
    assert ids(anon.get(ARTICLES, {"collapse": "story", "source": courier.slug})) == {cut.pk}
    assert ids(anon.get(ARTICLES, {"collapse": "story", "story": lead.story_id})) == {lead.pk}


def test_collapse_in_a_search_lists_one_matching_article_per_story(anon):  # noqa: F811
    copy = piece(63, source="Daily Courier", body=[*paragraphs(63)[:6], "A kingfisher was seen near the river."])
    lead, cut, other = imported(piece(63), copy, piece(64))
    assert cut.story_id == lead.story_id
    found = ids(anon.get(ARTICLES, {"collapse": "story", "search": "kingfisher"}))
    assert found == {cut.pk}
    everything = ids(anon.get(ARTICLES, {"collapse": "story", "search": "residents"}))
    assert len(everything) == 2 and other.pk in everything


def test_collapse_pages_and_counts(anon, django_assert_max_num_queries):  # noqa: F811
    texts = []
    for seed in range(70, 76):
        texts += [piece(seed), lightly_edited(seed)]
    articles = imported(*texts)
    stories = {a.story_id for a in articles}
    assert len(stories) == 6
    first = anon.get(ARTICLES, {"collapse": "story", "page_size": 4})
    body = first.json()
    assert body["count"] == 6 and len(body["results"]) == 4
    second = anon.get(body["next"])
    seen = {row["story"]["id"] for row in body["results"] + second.json()["results"]}
    assert seen == stories
    with django_assert_max_num_queries(12):
        anon.get(ARTICLES, {"collapse": "story", "page_size": 4, "search": "residents"})


def test_cursor_pages_list_each_story_once(anon):  # noqa: F811
    texts = []
    for seed in range(76, 81):
        texts += [lightly_edited(seed), piece(seed)]
    articles = imported(*texts)
    stories = {a.story_id for a in articles}
    base = timezone.now() - datetime.timedelta(days=1)
    leads = set(Story.objects.values_list("lead_id", flat=True))
    for i, article in enumerate(articles):
        # Every lead newer than every copy: past the first page, the copies of the stories already listed remain.
        hours = 10 + i if article.pk in leads else i
        Article.objects.filter(pk=article.pk).update(published_at=base + datetime.timedelta(hours=hours))
    walked, url = [], f"{ARTICLES}?collapse=story&pagination=cursor&page_size=2"
    while url:
        body = anon.get(url).json()
        walked += [row["story"]["id"] for row in body["results"]]
        url = body["next"]
    assert sorted(walked) == sorted(stories)


def test_an_unknown_collapse_is_a_400(anon):  # noqa: F811
    assert anon.get(ARTICLES, {"collapse": "source"}).status_code == 400
