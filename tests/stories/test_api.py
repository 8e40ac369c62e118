"""The stories on the API: every article's `story`, the stories' list and pages, `?story=`; readers see only
what is published, and a story with no published article does not exist for them."""

import pytest
from django.utils import timezone

from articles.ingest.importer import ImportOptions, import_files
from articles.models import Article
from tests.api.conftest import anon, client_for, generous_throttles  # noqa: F401  (fixtures)
from tests.conftest import without_instance
from tests.stories.texts import cut_copy, lightly_edited, piece

pytestmark = pytest.mark.django_db
ARTICLES, STORIES = "/api/v1/articles/", "/api/v1/stories/"


def story_of_three(status="published"):
    files = [(f"{i}.txt", text.encode()) for i, text in enumerate([piece(40), cut_copy(40), lightly_edited(40)])]
    report = import_files(files, ImportOptions(status=status))
    return [Article.objects.get(pk=r.article_id) for r in report.results]


def test_every_article_carries_its_story_and_readers_count_only_published_ones(anon, client_for, editor):  # noqa: F811
    original, cut, edited = story_of_three()
    Article.objects.filter(pk=edited.pk).update(status="draft", published_at=None)
    rows = anon.get(ARTICLES).json()["results"]
    assert {row["id"]: row["story"] for row in rows} == {
        original.pk: {"id": original.story_id, "size": 2},
        cut.pk: {"id": original.story_id, "size": 2},
    }
    assert anon.get(f"{ARTICLES}{cut.pk}/").json()["story"] == {"id": original.story_id, "size": 2}
    desk = client_for(editor)
    assert desk.get(f"{ARTICLES}{edited.pk}/").json()["story"] == {"id": original.story_id, "size": 3}


def test_the_story_filter_lists_one_storys_articles(anon):  # noqa: F811
    original, cut, edited = story_of_three()
    other = import_files([("x.txt", piece(41).encode())], ImportOptions(status="published")).results[0]
    found = {row["id"] for row in anon.get(ARTICLES, {"story": original.story_id}).json()["results"]}
    assert found == {original.pk, cut.pk, edited.pk} and other.article_id not in found
    assert anon.get(ARTICLES, {"story": 0}).json()["results"] == []
    assert anon.get(ARTICLES, {"story": "x"}).status_code == 400


def test_the_stories_list_and_page_show_lead_size_outlets_and_articles(anon):  # noqa: F811
    original, cut, edited = story_of_three()
    [story] = anon.get(STORIES).json()["results"]
    assert story["id"] == original.story_id and story["size"] == 3
    assert story["lead"]["id"] == original.pk
    assert story["outlets"] == ["Daily Courier", "Harbour Times", "Steppe Review"]
    assert story["first_seen"] and story["last_seen"]
    page = anon.get(f"{STORIES}{original.story_id}/").json()
    assert {a["id"] for a in page["articles"]} == {original.pk, cut.pk, edited.pk}


def test_a_story_without_a_published_article_is_a_404_for_readers_and_there_for_the_desk(anon, client_for, editor):  # noqa: F811
    original, _, _ = story_of_three(status="draft")
    assert anon.get(STORIES).json()["results"] == []
    response = anon.get(f"{STORIES}{original.story_id}/")
    assert response.status_code == 404
    # nothing tells a hidden story from none (but the address each problem names as its `instance`)
    assert without_instance(anon.get(f"{STORIES}999999/")) == without_instance(response)
    assert client_for(editor).get(f"{STORIES}{original.story_id}/").json()["size"] == 3


def test_the_stories_list_costs_a_constant_number_of_queries(anon, django_assert_max_num_queries):  # noqa: F811
    for seed in range(50, 62):
        files = [("a.txt", piece(seed).encode()), ("b.txt", lightly_edited(seed).encode())]
        import_files(files, ImportOptions(status="published"))
    Article.objects.update(published_at=timezone.now())
    with django_assert_max_num_queries(3):  # count, page, the page's articles
        assert len(anon.get(STORIES, {"page_size": 12}).json()["results"]) == 12
