"""Lost updates refused: a PATCH or PUT naming a state that is no longer the article's is a 412."""

import pytest

from articles.models import Article

pytestmark = pytest.mark.django_db


def detail(article) -> str:
    return f"/api/v1/articles/{article.pk}/"


def test_a_patch_with_the_current_etag_is_applied(client_for, editor, newsroom):
    client = client_for(editor)
    etag = client.get(detail(newsroom.vote))["ETag"]
    response = client.patch(detail(newsroom.vote), {"summary": "Mine."}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200 and response.json()["summary"] == "Mine."


def test_a_patch_with_a_stale_etag_is_a_412_with_the_current_revision_and_changes_nothing(client_for, editor, newsroom):
    client = client_for(editor)
    stale = client.get(detail(newsroom.vote))["ETag"]
    assert client.patch(detail(newsroom.vote), {"summary": "Theirs."}, format="json").status_code == 200

    response = client.patch(detail(newsroom.vote), {"summary": "Mine."}, format="json", HTTP_IF_MATCH=stale)

    assert response.status_code == 412
    current = Article.objects.get(pk=newsroom.vote.pk)
    assert response.json()["revision"] == current.revision == 2
    assert current.summary == "Theirs."


def test_a_put_with_a_stale_revision_is_a_412_and_the_current_one_is_applied(client_for, editor, newsroom):
    client = client_for(editor)
    article = client.get(detail(newsroom.vote)).json()
    payload = {"title": article["title"], "body": "Rewritten.", "revision": article["revision"]}
    assert client.put(detail(newsroom.vote), payload, format="json").status_code == 200

    response = client.put(detail(newsroom.vote), {**payload, "body": "Lost?"}, format="json")
    assert response.status_code == 412 and response.json()["revision"] == article["revision"] + 1
    assert Article.objects.get(pk=newsroom.vote.pk).body == "Rewritten."

    fresh = {**payload, "body": "Again.", "revision": article["revision"] + 1}
    assert client.put(detail(newsroom.vote), fresh, format="json").status_code == 200


def test_if_match_any_and_a_list_of_tags_with_the_current_one_pass(client_for, editor, newsroom):
    client = client_for(editor)
    etag = client.get(detail(newsroom.vote))["ETag"]
    url = detail(newsroom.vote)
    assert client.patch(url, {"summary": "A."}, format="json", HTTP_IF_MATCH="*").status_code == 200
    etag = client.get(url)["ETag"]
    assert client.patch(url, {"summary": "B."}, format="json", HTTP_IF_MATCH=f'"old", {etag}').status_code == 200


@pytest.mark.parametrize("revision", ["2", True, 0, 1.5])
def test_a_revision_that_is_not_a_whole_number_is_a_400(client_for, editor, newsroom, revision):
    response = client_for(editor).patch(detail(newsroom.vote), {"revision": revision}, format="json")
    assert response.status_code == 400 and "revision" in response.json()["errors"]


def test_a_stale_write_without_the_permission_is_still_refused_for_the_permission(client_for, newsroom):
    response = client_for(None).patch(detail(newsroom.pipeline), {"revision": 99}, format="json")
    assert response.status_code in {401, 403}
