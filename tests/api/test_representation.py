"""One definition per serializer: the rows the API sends are what the declared fields say, and what the schema says.

`ArticleListSerializer` builds its rows from steps compiled from its declared fields (articles/api/representation.py).
These tests hold the three views of it together: the compiled rows equal DRF's own field-by-field output, and every
row of real responses (lists, `?fields=` subsets, search results, details) validates against the component schema
`/api/schema/` publishes, with no field the schema does not name and, in full rows, every field it names.
"""

import copy

import jsonschema
import pytest
from django.contrib.auth.models import AnonymousUser
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.serializers import ModelSerializer
from rest_framework.test import APIRequestFactory

from articles.api.relations import attach_duplicate_visibility, attach_quotes, attach_relations
from articles.api.representation import CompiledRepresentationMixin
from articles.api.serializers import ArticleDetailSerializer, ArticleListSerializer
from articles.api.stories import attach_story_sizes
from articles.models import Article

pytestmark = pytest.mark.django_db
LIST = "/api/v1/articles/"
SUBSETS = ["id", "id,url", "title,published_at,source", "authors,topics,tags", "rank,snippet,id", "status , slug,,"]


class DeclaredFieldsOnly(ArticleListSerializer):
    """The same declared fields, represented by DRF's own `Serializer.to_representation`."""

    def to_representation(self, instance):
        return ModelSerializer.to_representation(self, instance)


class DetailDeclaredFieldsOnly(ArticleDetailSerializer):
    """The detail's declared fields, represented by DRF's own `Serializer.to_representation`."""

    def to_representation(self, instance):
        return ModelSerializer.to_representation(self, instance)


def request_for(query: str = "") -> Request:
    return Request(APIRequestFactory().get(f"{LIST}?{query}", HTTP_HOST="localhost"))


def listed_rows():
    rows = list(Article.objects.select_related("source").defer("body", "fingerprint", "external_id").order_by("pk"))
    attach_relations(rows)
    return rows


@pytest.mark.parametrize("query", ["", *(f"fields={subset}" for subset in SUBSETS)])
def test_the_compiled_rows_are_the_declared_fields_output(newsroom, query):
    rows = listed_rows()
    rows[0].rank, rows[0].snippet = 1.5, "a <mark>match</mark>"
    context = {"request": request_for(query)}
    compiled = ArticleListSerializer(rows, many=True, context=context).data
    declared = DeclaredFieldsOnly(rows, many=True, context=context).data
    assert compiled == declared
    if not query:
        assert compiled[0]["url"] == f"http://localhost{LIST}{rows[0].pk}/"
        assert (compiled[0]["rank"], compiled[1]["rank"]) == (1.5, None)


@pytest.mark.parametrize("query", ["", "fields=id,body_html,links", "fields=title,duplicate_of,tags,quotes,story"])
@pytest.mark.parametrize("who", ["anonymous", "editor"])
def test_the_compiled_detail_is_the_declared_fields_output(newsroom, users, query, who):
    rows = list(Article.objects.select_related("source").order_by("pk"))
    rows[1].duplicate_of = rows[0]  # a duplicate, its original published or not
    rows[2].duplicate_of = Article.objects.exclude(status=Article.Status.PUBLISHED).first()
    request = request_for(query)
    request.user = users[who] or AnonymousUser()
    attach_relations(rows)
    attach_quotes(rows)
    attach_story_sizes(rows, request.user)
    attach_duplicate_visibility(rows, request.user)
    context = {"request": request}
    compiled = ArticleDetailSerializer(rows, many=True, context=context).data
    declared = DetailDeclaredFieldsOnly(rows, many=True, context=context).data
    assert compiled == declared
    if not query:
        assert compiled[0]["links"]["self"] == f"http://localhost{LIST}{rows[0].pk}/"
        assert ("imports" in compiled[0]["links"]) is (who == "editor")
        assert compiled[2]["duplicate_of"] == (rows[2].duplicate_of_id if who == "editor" else None)


def test_a_row_the_compiled_steps_cannot_read_goes_through_drfs_path(newsroom):
    rows = listed_rows()
    del rows[0].byline_rows  # a relation not loaded: DRF leaves the read-only field out
    context = {"request": request_for()}
    compiled = ArticleListSerializer(rows, many=True, context=context).data
    assert "authors" not in compiled[0] and "authors" in compiled[1]
    assert compiled == DeclaredFieldsOnly(rows, many=True, context=context).data


def test_a_field_of_an_unknown_kind_is_represented_by_its_own_field_object(newsroom):
    class Shouting(serializers.CharField):
        def to_representation(self, value):
            return str(value).upper()

    class WithUnknownField(CompiledRepresentationMixin, serializers.ModelSerializer):
        loud_title = Shouting(source="title", read_only=True)

        class Meta:
            model = Article
            fields = ["id", "loud_title", "published_at"]

    rows = listed_rows()
    data = WithUnknownField(rows, many=True, context={"request": request_for()}).data
    assert data[0]["loud_title"] == rows[0].title.upper()
    assert data == [ModelSerializer.to_representation(WithUnknownField(context={}), row) for row in rows]


def json_schema(openapi: dict, name: str, *, closed: bool) -> dict:
    """Return the component `name` as JSON Schema: references resolved, `nullable` as a null type, and with
    `closed` no property beyond those named."""
    components = openapi["components"]["schemas"]

    def convert(node):
        if isinstance(node, list):
            return [convert(item) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            return convert(copy.deepcopy(components[node["$ref"].rsplit("/", 1)[1]]))
        node = {key: convert(value) for key, value in node.items() if key not in {"readOnly", "writeOnly"}}
        if node.pop("nullable", False):
            node = {"anyOf": [node, {"type": "null"}]}
        return node

    schema = convert(components[name])
    if closed:
        schema["additionalProperties"] = False
    return schema


@pytest.fixture
def openapi(anon):
    response = anon.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def assert_rows_match(rows, schema, *, every_field: bool):
    assert rows
    for row in rows:
        jsonschema.validate(row, schema, format_checker=jsonschema.FormatChecker())
        if every_field:
            assert set(row) == set(schema["properties"])


def test_every_listed_row_is_what_the_schema_says(anon, openapi, newsroom):
    schema = json_schema(openapi, "ArticleList", closed=True)
    rows = anon.get(LIST).json()["results"]
    assert_rows_match(rows, schema, every_field=True)
    assert all(row["rank"] is None and row["snippet"] is None for row in rows)


def test_every_search_result_with_its_rank_and_snippet_is_what_the_schema_says(anon, openapi, newsroom):
    schema = json_schema(openapi, "ArticleList", closed=True)
    rows = anon.get(LIST, {"search": "trade"}).json()["results"]
    assert_rows_match(rows, schema, every_field=True)
    assert all(isinstance(row["rank"], float) and "<mark>" in row["snippet"] for row in rows)


@pytest.mark.parametrize("subset", SUBSETS)
def test_sparse_rows_hold_the_fields_asked_for_as_the_schema_says(anon, openapi, newsroom, subset):
    schema = json_schema(openapi, "ArticleList", closed=True)
    for params in ({"fields": subset}, {"fields": subset, "search": "trade"}):
        rows = anon.get(LIST, params).json()["results"]
        assert_rows_match(rows, schema, every_field=False)
        assert all(set(row) == {name.strip() for name in subset.split(",") if name.strip()} for row in rows)


@pytest.mark.parametrize("query", [{}, {"fields": "id,body_html,links"}, {"fields": "title,duplicate_of,tags"}])
def test_an_article_in_full_is_what_the_schema_says(client_for, editor, openapi, newsroom, query):
    schema = json_schema(openapi, "ArticleDetail", closed=True)
    row = client_for(editor).get(f"{LIST}{newsroom.pipeline.pk}/", query).json()
    assert_rows_match([row], schema, every_field=not query)
    if query:
        assert set(row) == set(query["fields"].split(","))
