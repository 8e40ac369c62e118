"""Authors, sources, topics and tags: lists with article counts, details, filters and editors' writes."""

import pytest

from articles.models import Author, Topic

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [row["name"] for row in response.json()["results"]]


def test_authors_list_counts_only_published_articles_for_readers(anon, client_for, editor, newsroom):
    rows = {row["name"]: row["article_count"] for row in anon.get("/api/v1/authors/").json()["results"]}
    assert rows == {"Alena Kazakova": 2, "Marat Ospanov": 1, "Web Desk": 2}
    staff_rows = {
        row["name"]: row["article_count"] for row in client_for(editor).get("/api/v1/authors/").json()["results"]
    }
    assert staff_rows["Hidden Hand"] == 1


def test_sources_list_hides_sources_with_nothing_published_from_readers(anon, newsroom):
    rows = {row["slug"]: row["article_count"] for row in anon.get("/api/v1/sources/").json()["results"]}
    assert rows == {"astana": 1, "frontier": 2}


def test_tags_list_counts_published_articles_and_hides_draft_only_tags(anon, newsroom):
    rows = {row["name"]: row["article_count"] for row in anon.get("/api/v1/tags/").json()["results"]}
    assert rows == {"energy": 1, "trade": 2}


def test_topics_show_the_whole_tree_with_parent_and_children(anon, newsroom):
    rows = {row["slug"]: row for row in anon.get("/api/v1/topics/").json()["results"]}
    assert rows["politics"]["children"] == [newsroom.elections.pk]
    assert rows["elections"]["parent"] == newsroom.politics.pk
    assert rows["politics"]["article_count"] == 1 and rows["elections"]["article_count"] == 1


@pytest.mark.parametrize(
    ("url", "params", "expected"),
    [
        ("/api/v1/authors/", {"name": "kaza"}, ["Alena Kazakova"]),
        ("/api/v1/authors/", {"kind": "person"}, ["Alena Kazakova", "Marat Ospanov", "Web Desk"]),
        ("/api/v1/sources/", {"kind": "outlet"}, ["Astana Times", "The Frontier Post"]),
        ("/api/v1/sources/", {"name": "astana"}, ["Astana Times"]),
        ("/api/v1/topics/", {"root": "true"}, ["Economy", "Politics"]),
        ("/api/v1/topics/", {"parent": "politics"}, ["Elections"]),
        ("/api/v1/tags/", {"name": "ene"}, ["energy"]),
    ],
)
def test_resource_filters_narrow_the_list(anon, newsroom, url, params, expected):
    assert names(anon.get(url, params)) == expected


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/api/v1/authors/", {"kind": "robot"}),
        ("/api/v1/sources/", {"kind": "blog"}),
        ("/api/v1/topics/", {"parent": "no-such-topic"}),
        ("/api/v1/topics/", {"root": "perhaps"}),
    ],
)
def test_unknown_resource_filter_values_are_a_400(anon, newsroom, url, params):
    response = anon.get(url, params)
    assert response.status_code == 400 and set(params) & set(response.json()["errors"])


def test_an_editor_creates_a_topic_below_another(client_for, editor, newsroom):
    response = client_for(editor).post(
        "/api/v1/topics/", {"name": "Local elections", "parent": newsroom.elections.pk, "keywords": ["mayor"]}
    )
    assert response.status_code == 201
    assert Topic.objects.get(slug="local-elections").parent == newsroom.elections


def test_a_topic_cannot_be_moved_below_its_own_child(client_for, editor, newsroom):
    response = client_for(editor).patch(f"/api/v1/topics/{newsroom.politics.pk}/", {"parent": newsroom.elections.pk})
    assert response.status_code == 400 and "below itself" in response.json()["errors"]["parent"][0]


def test_a_duplicate_author_name_in_other_case_is_a_400(client_for, editor, newsroom):
    response = client_for(editor).post("/api/v1/authors/", {"name": "alena  KAZAKOVA"})
    assert response.status_code == 400 and "already exists" in response.json()["errors"]["name"][0]


def test_a_duplicate_source_name_is_a_400(client_for, editor, newsroom):
    response = client_for(editor).post("/api/v1/sources/", {"name": "astana times"})
    assert response.status_code == 400 and "name" in response.json()["errors"]


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("/api/v1/authors/{}/", lambda n: n.alena),
        ("/api/v1/sources/{}/", lambda n: n.frontier),
        ("/api/v1/topics/{}/", lambda n: n.politics),
    ],
)
def test_deleting_something_articles_or_subtopics_still_use_is_a_409(client_for, editor, newsroom, url, target):
    response = client_for(editor).delete(url.format(target(newsroom).pk))
    assert response.status_code == 409 and "refer" in response.json()["detail"]


def test_author_and_source_writes_cannot_set_ids_or_timestamps(client_for, editor, newsroom):
    data = client_for(editor).post(
        "/api/v1/authors/", {"name": "Fresh Name", "id": 4242, "created_at": "2000-01-01T00:00:00Z", "article_count": 9}
    )
    author = Author.objects.get(name="Fresh Name")
    assert data.json()["id"] == author.pk != 4242 and author.created_at.year > 2000
    assert data.json()["article_count"] == 0
