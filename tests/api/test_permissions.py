"""The permission matrix: every role against every endpoint and method.

Anonymous readers read published material only; reporters create and edit but never publish or delete; editors and
superusers do everything. A draft is a 404 to those who may not see it, never a 403.
"""

import pytest
from django.contrib.auth.models import User
from taggit.models import Tag

from articles.models import Author, Source, Topic

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "reporter", "editor", "superuser"]


def article_payload(newsroom):
    return {"title": "Matrix piece", "body": "A body written for the matrix.", "source_id": newsroom.frontier.pk}


def spare_author(newsroom):
    return Author.objects.create(name="Spare Author")


def spare_source(newsroom):
    return Source.objects.create(name="Spare Source")


def spare_topic(newsroom):
    return Topic.objects.create(name="Spare Topic")


def spare_tag(newsroom):
    return Tag.objects.create(name="spare", slug="spare")


# (name, method, url builder, payload builder, expected status per role in ROLES order)
MATRIX = [
    ("list articles", "get", lambda n: "/api/v1/articles/", None, (200, 200, 200, 200)),
    ("read published", "get", lambda n: f"/api/v1/articles/{n.vote.pk}/", None, (200, 200, 200, 200)),
    ("read draft", "get", lambda n: f"/api/v1/articles/{n.draft.pk}/", None, (404, 200, 200, 200)),
    ("read scheduled", "get", lambda n: f"/api/v1/articles/{n.scheduled.pk}/", None, (404, 200, 200, 200)),
    ("create article", "post", lambda n: "/api/v1/articles/", article_payload, (401, 201, 201, 201)),
    ("patch article", "patch", lambda n: f"/api/v1/articles/{n.draft.pk}/", lambda n: {"summary": "S."}, None),
    ("put article", "put", lambda n: f"/api/v1/articles/{n.draft.pk}/", article_payload, None),
    ("delete article", "delete", lambda n: f"/api/v1/articles/{n.draft.pk}/", None, (401, 403, 204, 204)),
    ("publish", "post", lambda n: f"/api/v1/articles/{n.draft.pk}/publish/", None, (401, 403, 200, 200)),
    ("unpublish", "post", lambda n: f"/api/v1/articles/{n.vote.pk}/unpublish/", None, (401, 403, 200, 200)),
    ("archive published", "post", lambda n: f"/api/v1/articles/{n.vote.pk}/archive/", None, (401, 403, 200, 200)),
    ("send to review", "post", lambda n: f"/api/v1/articles/{n.draft.pk}/review/", None, (401, 200, 200, 200)),
    ("list authors", "get", lambda n: "/api/v1/authors/", None, (200, 200, 200, 200)),
    ("read author", "get", lambda n: f"/api/v1/authors/{n.alena.pk}/", None, (200, 200, 200, 200)),
    ("read draft-only author", "get", lambda n: f"/api/v1/authors/{n.hidden_author.pk}/", None, (404, 200, 200, 200)),
    ("create author", "post", lambda n: "/api/v1/authors/", lambda n: {"name": "New Writer"}, (401, 201, 201, 201)),
    ("patch author", "patch", lambda n: f"/api/v1/authors/{n.alena.pk}/", lambda n: {"bio": "B."}, None),
    ("delete author", "delete", lambda n: f"/api/v1/authors/{spare_author(n).pk}/", None, (401, 403, 204, 204)),
    ("list sources", "get", lambda n: "/api/v1/sources/", None, (200, 200, 200, 200)),
    ("read draft-only source", "get", lambda n: f"/api/v1/sources/{n.hidden_source.pk}/", None, (404, 200, 200, 200)),
    ("create source", "post", lambda n: "/api/v1/sources/", lambda n: {"name": "New Outlet"}, (401, 201, 201, 201)),
    ("patch source", "patch", lambda n: f"/api/v1/sources/{n.astana.pk}/", lambda n: {"kind": "agency"}, None),
    ("delete source", "delete", lambda n: f"/api/v1/sources/{spare_source(n).pk}/", None, (401, 403, 204, 204)),
    ("list topics", "get", lambda n: "/api/v1/topics/", None, (200, 200, 200, 200)),
    ("read topic", "get", lambda n: f"/api/v1/topics/{n.politics.pk}/", None, (200, 200, 200, 200)),
    ("create topic", "post", lambda n: "/api/v1/topics/", lambda n: {"name": "Sport"}, (401, 403, 201, 201)),
    ("patch topic", "patch", lambda n: f"/api/v1/topics/{n.economy.pk}/", lambda n: {"description": "D."}, "topic"),
    ("delete topic", "delete", lambda n: f"/api/v1/topics/{spare_topic(n).pk}/", None, (401, 403, 204, 204)),
    ("list tags", "get", lambda n: "/api/v1/tags/", None, (200, 200, 200, 200)),
    ("create tag", "post", lambda n: "/api/v1/tags/", lambda n: {"name": "fresh"}, (401, 201, 201, 201)),
    ("delete tag", "delete", lambda n: f"/api/v1/tags/{spare_tag(n).pk}/", None, (401, 403, 204, 204)),
    ("list imports", "get", lambda n: "/api/v1/imports/", None, (401, 403, 200, 200)),
]
EDIT = (401, 200, 200, 200)
EDIT_TOPIC = (401, 403, 200, 200)

CASES = [
    pytest.param(
        method,
        url,
        payload,
        role,
        (EDIT if expected is None else EDIT_TOPIC if expected == "topic" else expected)[ROLES.index(role)],
        id=f"{name} as {role}",
    )
    for name, method, url, payload, expected in MATRIX
    for role in ROLES
]


@pytest.mark.parametrize(("method", "url", "payload", "role", "expected"), CASES)
def test_each_role_gets_the_expected_status_from_each_endpoint_and_method(
    client_for, users, newsroom, method, url, payload, role, expected
):
    client = client_for(users[role])
    body = payload(newsroom) if payload else None
    response = getattr(client, method)(url(newsroom), body, format="json")
    assert response.status_code == expected, response.content
    if response.status_code != 204:
        # errors are problem details (RFC 9457)
        expected = "application/problem+json" if response.status_code >= 400 else "application/json"
        assert response["Content-Type"].startswith(expected)


def test_anonymous_writes_ask_for_token_authentication(anon, newsroom):
    response = anon.post("/api/v1/articles/", {"title": "x"}, format="json")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"


def test_a_signed_in_user_without_any_group_reads_like_the_public_and_cannot_write(client_for, newsroom):
    client = client_for(User.objects.create_user("outsider", password="pw"))
    assert client.get(f"/api/v1/articles/{newsroom.draft.pk}/").status_code == 404
    assert client.post("/api/v1/articles/", {"title": "x"}, format="json").status_code == 403


def test_token_authentication_signs_a_client_in(anon, editor, newsroom):
    from rest_framework.authtoken.models import Token

    anon.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    assert anon.get(f"/api/v1/articles/{newsroom.draft.pk}/").status_code == 200


def test_session_authentication_requires_a_csrf_token_for_writes(editor, newsroom):
    from django.test import RequestFactory
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    # A password sign-in goes through the lockout backend, which needs the request it comes with.
    client.login(request=RequestFactory().post("/admin/login/"), username="editor", password="pw-editor")
    assert client.get(f"/api/v1/articles/{newsroom.draft.pk}/").status_code == 200
    response = client.post("/api/v1/articles/", {"title": "No token"}, format="json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
