"""Each rule about identity, duplicate text, names and the topic tree is stated once, by the model: `full_clean`, the
admin's forms and the API report the same error, on the same field, with the same code, and store nothing."""

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from articles.api.serializers import ArticleDetailSerializer, AuthorSerializer, SourceSerializer, TopicSerializer
from articles.models import Article, Author, Source, Topic
from tests.admin.conftest import change_url, form_data

pytestmark = pytest.mark.django_db


@dataclass
class Attempt:
    """One change that breaks a rule, as each door takes it: model attributes, an admin form post, an API PATCH."""

    target: Any
    changes: dict
    admin_url: str
    admin_data: dict
    api_url: str
    api_payload: dict
    serializer_class: type


def article_attempt(article, **changes) -> Attempt:
    url = f"/api/v1/articles/{article.pk}/"
    return Attempt(
        article, changes, change_url(article), form_data(article, **changes), url, changes, ArticleDetailSerializer
    )


def topic_attempt(topic, changes, **form_changes) -> Attempt:
    form = {
        "name": topic.name,
        "slug": topic.slug,
        "parent": topic.parent_id or "",
        "description": topic.description,
        "iptc_code": topic.iptc_code,
        "keywords": json.dumps(topic.keywords),
        **form_changes,
    }
    payload = {name: getattr(value, "pk", value) for name, value in changes.items()}
    admin_url = f"/admin/articles/topic/{topic.pk}/change/"
    return Attempt(topic, changes, admin_url, form, f"/api/v1/topics/{topic.pk}/", payload, TopicSerializer)


def slug_taken_in_the_same_source(make_article):
    make_article("Taken", source="Dawn", slug="taken")
    return article_attempt(make_article("Other", source="Dawn"), slug="taken")


def slug_taken_without_a_source(make_article):
    make_article("Taken", source=None, slug="taken")
    return article_attempt(make_article("Other", source=None), slug="taken")


def identity_taken_in_the_same_source(make_article):
    make_article("Taken", source="Dawn", external_id="https://dawn.example/1")
    return article_attempt(make_article("Other", source="Dawn"), external_id="https://dawn.example/1")


def identity_taken_without_a_source(make_article):
    make_article("Taken", source=None, external_id="urn:piece:1")
    return article_attempt(make_article("Other", source=None), external_id="urn:piece:1")


def text_another_article_has(make_article):
    make_article("Taken", body="Exactly this text, word for word.")
    return article_attempt(make_article("Other", body="Something else."), body="exactly this  TEXT, word for word.")


def topic_below_its_own_child(make_article):
    root = Topic.objects.create(name="Politics")
    child = Topic.objects.create(name="Elections", parent=root)
    return topic_attempt(root, {"parent": child}, parent=child.pk)


def iptc_code_another_topic_has(make_article):
    Topic.objects.create(name="Politics", iptc_code="medtop:11000000")
    return topic_attempt(
        Topic.objects.create(name="Local"), {"iptc_code": "medtop:11000000"}, iptc_code="medtop:11000000"
    )


def author_name_in_other_case(make_article):
    Author.objects.create(name="Alena Kazakova")
    other = Author.objects.create(name="Someone Else")
    form = {"name": "alena  KAZAKOVA", "slug": other.slug, "kind": other.kind, "bio": ""}
    url = f"/admin/articles/author/{other.pk}/change/"
    changes = {"name": "alena  KAZAKOVA"}
    return Attempt(other, changes, url, form, f"/api/v1/authors/{other.pk}/", changes, AuthorSerializer)


def source_name_in_other_case(make_article):
    Source.objects.create(name="Dawn")
    other = Source.objects.create(name="Kommersant")
    form = {"name": "DAWN", "slug": other.slug, "homepage_url": "", "kind": other.kind}
    url = f"/admin/articles/source/{other.pk}/change/"
    changes = {"name": "DAWN"}
    return Attempt(other, changes, url, form, f"/api/v1/sources/{other.pk}/", changes, SourceSerializer)


RULES = [
    (
        slug_taken_in_the_same_source,
        "slug",
        "slug",
        "slug_taken",
        "Another article from this source already uses this web address (slug); change the slug.",
    ),
    (
        slug_taken_without_a_source,
        "slug",
        "slug",
        "slug_taken",
        "Another article without a source already uses this web address (slug); change the slug.",
    ),
    (
        identity_taken_in_the_same_source,
        "external_id",
        "external_id",
        "external_id_taken",
        "Another article from this source already has this identity (URL or GUID).",
    ),
    (
        identity_taken_without_a_source,
        "external_id",
        "external_id",
        "external_id_taken",
        "Another article without a source already has this identity (URL or GUID).",
    ),
    (
        text_another_article_has,
        "body",
        "body",
        "duplicate_text",
        "Another article already has exactly this text: “Taken”",
    ),
    (topic_below_its_own_child, "parent", "parent", "cycle", "A topic cannot sit below itself."),
    (iptc_code_another_topic_has, "iptc_code", "iptc_code", "unique", "Another topic has this IPTC code."),
    (author_name_in_other_case, "name", "name", "name_taken", "An author with this name already exists."),
    (source_name_in_other_case, "name", "name", "name_taken", "A source with this name already exists."),
]


def model_errors(attempt: Attempt, field: str) -> list[tuple[str, str]]:
    instance = type(attempt.target).objects.get(pk=attempt.target.pk)
    for name, value in attempt.changes.items():
        setattr(instance, name, value)
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return [(error.code, error.messages[0]) for error in caught.value.error_dict[field]]


def admin_errors(client, attempt: Attempt, field: str) -> list[tuple[str, str]]:
    response = client.post(attempt.admin_url, attempt.admin_data)
    assert response.status_code == 200, "the form should be shown again with its errors"
    return [(error.code, error.messages[0]) for error in response.context["adminform"].form.errors.as_data()[field]]


def api_errors(user, attempt: Attempt, field: str) -> list[tuple[str, str]]:
    client = APIClient()
    client.force_authenticate(user)
    response = client.patch(attempt.api_url, attempt.api_payload, format="json")
    assert response.status_code == 400, response.json()
    request = Request(APIRequestFactory().patch(attempt.api_url))
    request.user = user
    serializer = attempt.serializer_class(
        attempt.target, data=attempt.api_payload, partial=True, context={"request": request}
    )
    assert not serializer.is_valid()
    assert response.json()["errors"][field] == [str(error) for error in serializer.errors[field]]
    return [(error.code, str(error)) for error in serializer.errors[field]]


@pytest.mark.parametrize(
    ("attempt", "field", "api_field", "code", "message"), RULES, ids=[rule[0].__name__ for rule in RULES]
)
def test_each_rule_gives_the_same_error_through_full_clean_the_admin_form_and_the_api(
    client, editor, make_article, attempt, field, api_field, code, message
):
    attempt = attempt(make_article)
    before = type(attempt.target).objects.filter(pk=attempt.target.pk).values().get()
    from_model = model_errors(attempt, field)
    assert len(from_model) == 1 and from_model[0][0] == code and message in from_model[0][1], from_model
    client.force_login(editor)
    assert admin_errors(client, attempt, field) == from_model
    assert api_errors(editor, attempt, api_field) == from_model
    assert type(attempt.target).objects.filter(pk=attempt.target.pk).values().get() == before


def test_a_new_article_through_the_api_meets_the_same_rule_as_one_changed(editor, make_article):
    make_article("Taken", source="Dawn", slug="taken")
    payload = {"title": "Fresh", "slug": "taken", "source_id": Source.objects.get(name="Dawn").pk}
    client = APIClient()
    client.force_authenticate(editor)
    response = client.post("/api/v1/articles/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"slug": [RULES[0][4]]}
    assert not Article.objects.filter(title="Fresh").exists()


def test_errors_of_the_whole_article_stay_on_the_whole_article():
    article = Article(title="Too soon", slug="too-soon", status=Article.Status.PUBLISHED, body="Text.")
    with pytest.raises(ValidationError) as caught:
        article.full_clean()
    assert list(caught.value.error_dict) == ["__all__"]
    assert caught.value.messages == ["A published article needs a publication date."]
