"""Malformed input the API must answer with a 400 and a JSON reason, never a 500 (on SQLite and PostgreSQL alike).

Each case here was a server error once: digits `str.isdigit()` accepts and `int()` refuses, numbers no column holds,
JSON nested too deeply for the decoder, `NaN`/`Infinity` in a cursor, NUL characters PostgreSQL refuses in text.
"""

import base64
import json

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"
DEEP = 100_000  # deeper than the JSON decoder's recursion limit on every supported Python


def cursor_of(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode("ascii").rstrip("=")


def assert_json_400(response, *keys):
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()  # a key is a member of the problem (`detail`) or a field of its `errors`
    assert set(keys) <= set(problem) | set(problem.get("errors", {})), problem


@pytest.mark.parametrize("key", ["%C2%B2", "%D9%A3", "%C2%B9%C2%B2%C2%B3"])
def test_a_key_of_digits_int_refuses_is_looked_up_as_a_slug_and_not_found(anon, newsroom, key):
    response = anon.get(f"{LIST}{key}/")
    assert response.status_code == 404 and "detail" in response.json()


@pytest.mark.parametrize("key", ["9223372036854775808", "9" * 19, "0", "00000000000000000000001"])
def test_an_id_out_of_range_is_not_found(anon, newsroom, key):
    response = anon.get(f"{LIST}{key}/")
    assert response.status_code == 404 and "detail" in response.json()


def test_an_id_padded_with_zeros_still_finds_the_article(anon, newsroom):
    assert anon.get(f"{LIST}000{newsroom.pipeline.pk}/").json()["id"] == newsroom.pipeline.pk


@pytest.mark.parametrize("name", ["page", "page_size"])
@pytest.mark.parametrize("value", ["²", "١", "1e3", "-1", "0", "1" * 10, "1.0", " 1"])
def test_a_page_number_that_is_no_ascii_whole_number_is_a_400(anon, newsroom, name, value):
    assert_json_400(anon.get(LIST, {name: value}), name)
    assert_json_400(anon.get("/api/v1/sources/", {name: value}), name)


@pytest.mark.parametrize(
    "payload",
    [
        '{"o":"-published_at","v":"2020-01-01T00:00:00+00:00","i":Infinity}',
        '{"o":"-published_at","v":"2020-01-01T00:00:00+00:00","i":NaN}',
        '{"o":"-published_at","v":"2020-01-01T00:00:00+00:00","i":1e400}',
        '{"o":"-published_at","v":"2020-01-01T00:00:00+00:00","i":1.5}',
        '{"o":"-published_at","v":"2020-01-01T00:00:00+00:00","i":true}',
        '{"o":"-published_at","v":"2020-01-01T00:00:00+00:00","i":"²"}',
        '{"o":"-published_at","v":"2020-01-01T00:00:00+00:00","i":99999999999999999999}',
        '{"o":"-published_at","v":12,"i":1}',
        '{"o":"-published_at","v":"9999-12-31T23:59:59-05:00","i":1}',
        "[" * 2_500,
        "[" * DEEP,
        "[1, 2]",
        '"text"',
    ],
)
def test_a_cursor_that_this_api_did_not_issue_is_a_400(anon, newsroom, payload):
    assert_json_400(anon.get(LIST, {"cursor": cursor_of(payload)}), "cursor")


def test_a_cursor_past_the_length_of_any_issued_cursor_is_refused_before_it_is_decoded(anon, newsroom):
    assert_json_400(anon.get(LIST, {"cursor": "A" * 257}), "cursor")


def test_an_issued_cursor_still_walks_the_pages(anon, newsroom):
    first = anon.get(LIST, {"pagination": "cursor", "page_size": 2}).json()
    second = anon.get(first["next"]).json()
    assert [row["id"] for row in first["results"] + second["results"]] == [a.pk for a in newsroom.published]


@pytest.mark.parametrize("url", ["/api/v1/tags/", "/api/v1/imports/", "/api/v1/topics/", LIST])
def test_a_json_body_nested_too_deeply_is_a_400(client_for, editor, url):
    body = "[" * DEEP + "]" * DEEP
    response = client_for(editor).post(url, data=body, content_type="application/json")
    assert_json_400(response, "detail")
    assert "nested too deeply" in response.json()["detail"]


@pytest.mark.parametrize(
    "field, value",
    [
        ("parent", "²"),
        ("parent", "1" * 30),
        ("parent", 1.5),
        ("parent", True),
        ("parent", [1]),
        ("parent", {"id": 1}),
        ("parent", 10**30),
        ("parent", -1),
    ],
)
def test_a_related_id_that_is_no_id_is_a_400_on_that_field(client_for, editor, field, value):
    response = client_for(editor).post("/api/v1/topics/", {"name": "Weather", field: value}, format="json")
    assert_json_400(response, field)


@pytest.mark.parametrize("raw", ['{"name": "Weather", "parent": 1e400}', '{"name": "Weather", "parent": -Infinity}'])
def test_an_infinite_id_is_a_400(client_for, editor, raw):
    response = client_for(editor).post("/api/v1/topics/", data=raw, content_type="application/json")
    assert_json_400(response)


def test_a_related_id_given_as_a_whole_float_still_works(client_for, editor, newsroom):
    response = client_for(editor).post(
        "/api/v1/topics/", {"name": "Weather", "parent": float(newsroom.politics.pk)}, format="json"
    )
    assert response.status_code == 201 and response.json()["parent"] == newsroom.politics.pk


@pytest.mark.parametrize(
    "body, field",
    [
        ({"source_id": "²"}, "source_id"),
        ({"source_id": 10**20}, "source_id"),
        ({"topic_ids": ["²"]}, "topic_ids"),
        ({"topic_ids": [2**63]}, "topic_ids"),
        ({"bylines": [{"author": "²"}]}, "bylines"),
        ({"bylines": [{"author": 1e300}]}, "bylines"),
    ],
)
def test_article_relations_that_are_no_ids_are_a_400(client_for, editor, body, field):
    response = client_for(editor).post(LIST, {"title": "Storm", "body": "Rain.", **body}, format="json")
    assert_json_400(response, field)


@pytest.mark.parametrize("value", ["²", "1.5", "1e10", "-3", "0", "9223372036854775808", "Infinity"])
@pytest.mark.parametrize("name", ["article", "batch"])
def test_an_import_record_filter_that_is_no_id_is_a_400(client_for, editor, name, value):
    assert_json_400(client_for(editor).get("/api/v1/imports/", {name: value}), name)


def test_keywords_holding_a_nul_are_a_400(client_for, editor):
    response = client_for(editor).post("/api/v1/topics/", {"name": "Weather", "keywords": ["a\x00b"]}, format="json")
    assert_json_400(response, "keywords")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/articles/no%00such/",
        "/api/v1/articles/pipeline-deal-signed/?source=front%00ier",
        "/api/v1/articles/?search=a%00b",
        "/api/v1/authors/?name=%00",
        "/api/v1/imports/?source=a%00",
        "/api/v1/nowhere%00/",
    ],
)
def test_a_nul_in_the_address_or_query_string_is_a_json_400(client_for, editor, newsroom, url):
    response = client_for(editor).get(url)
    assert_json_400(response, "detail")
    assert "NUL" in response.json()["detail"]


def test_a_nul_in_a_text_import_query_is_a_400_and_imports_nothing(client_for, editor):
    from articles.models import ImportRecord

    response = client_for(editor).post(
        "/api/v1/imports/?source=Wire%00", data="Title\nTitle\nBody text.\n", content_type="text/plain"
    )
    assert_json_400(response, "detail")
    assert not ImportRecord.objects.exists()


@pytest.mark.parametrize("header", ["HTTP_AUTHORIZATION", "HTTP_COOKIE", "HTTP_IF_NONE_MATCH"])
def test_a_nul_in_a_header_is_a_json_400(editor, header):
    value = {
        "HTTP_AUTHORIZATION": f"Token {Token.objects.create(user=editor).key}\x00",
        "HTTP_COOKIE": "sessionid=abcdefgh\x00ijkl",
        "HTTP_IF_NONE_MATCH": 'W/"a\x00"',
    }[header]
    response = APIClient().get(LIST, **{header: value})
    assert_json_400(response, "detail")


def test_a_nul_in_a_json_body_string_is_a_400_naming_the_field(client_for, editor):
    response = client_for(editor).post(
        "/api/v1/tags/", data=json.dumps({"name": "a\x00b"}), content_type="application/json"
    )
    assert_json_400(response, "name")


@pytest.mark.parametrize("at", ["99999-01-01T00:00:00Z", "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"])
def test_a_publication_time_no_column_holds_is_a_400(client_for, editor, newsroom, at):
    response = client_for(editor).post(f"{LIST}{newsroom.draft.pk}/publish/", {"at": at}, format="json")
    assert_json_400(response, "at")


def test_a_long_odd_query_value_is_a_400_not_an_error(anon, newsroom):
    assert_json_400(anon.get(LIST, {"tag": "\u202e" * 5_000}), "tag")
    assert_json_400(anon.get(LIST, {"search": "\ufffd" * 5_000}), "search")


@pytest.mark.parametrize(
    "text", ["PATH_INFO", "a_b", "_", "__init__", "deal_signed", "NEAR", '"', "*", "a:b", "(", "-a"]
)
@pytest.mark.parametrize("ordering", ["relevance", "-published_at"])
def test_a_search_with_underscores_or_fts_syntax_is_answered(anon, newsroom, text, ordering):
    response = anon.get(LIST, {"search": text, "ordering": ordering})
    assert response.status_code == 200, response.content[:300]


def test_a_search_across_an_underscore_finds_both_words(anon, newsroom):
    assert [row["id"] for row in anon.get(LIST, {"search": "pipeline_deal"}).json()["results"]] == [
        newsroom.pipeline.pk
    ]


@pytest.mark.parametrize(
    "url, body, field",
    [
        ("/api/v1/tags/", {"name": 5}, "name"),
        ("/api/v1/tags/", {"name": True}, "name"),
        ("/api/v1/authors/", {"name": "Ann", "bio": 0}, "bio"),
        ("/api/v1/sources/", {"name": "Wire", "slug": 12}, "slug"),
        ("/api/v1/tags/", {"name": " " + "x" * 100}, "name"),
        ("/api/v1/sources/", {"name": "\x1e" + "x" * 200}, "name"),
        (LIST, {"title": "Storm", "topic_ids": {}}, "topic_ids"),
        (LIST, {"title": "Storm", "topic_ids": {"1": 1}}, "topic_ids"),
        (LIST, {"title": "Storm", "tags": ["a\x00"]}, "tags"),
        (LIST, {"title": "Storm", "tags": ["a" + " " * 100]}, "tags"),
        ("/api/v1/sources/", {"name": "Wire", "homepage_url": "https://news.a"}, "homepage_url"),
        ("/api/v1/sources/", {"name": "Wire", "homepage_url": " https://news.example"}, "homepage_url"),
    ],
)
def test_a_value_of_another_type_or_over_its_length_as_sent_is_a_400(client_for, editor, url, body, field):
    assert_json_400(client_for(editor).post(url, body, format="json"), field)


def test_an_outlet_address_the_schema_accepts_is_stored(client_for, editor):
    response = client_for(editor).post(
        "/api/v1/sources/", {"name": "Wire", "homepage_url": "https://news.example:8443/world?x=1"}, format="json"
    )
    assert response.status_code == 201 and response.json()["homepage_url"] == "https://news.example:8443/world?x=1"


@pytest.mark.parametrize("fields", ["bylines", "source_id", "id,topic_ids"])
def test_sparse_fields_cannot_name_a_write_only_field(anon, newsroom, fields):
    assert_json_400(anon.get(f"{LIST}{newsroom.pipeline.pk}/", {"fields": fields}), "fields")


def test_sparse_fields_take_spaces_and_empty_items_between_names(anon, newsroom):
    row = anon.get(LIST, {"fields": " id , title,,"}).json()["results"][0]
    assert set(row) == {"id", "title"}


@pytest.mark.parametrize("url", ["https://news.example\n", "https://news.example/\x1c", "https://news.example/ü"])
def test_an_outlet_address_with_a_trailing_newline_or_odd_characters_is_a_400(client_for, editor, url):
    assert_json_400(
        client_for(editor).post("/api/v1/sources/", {"name": "Wire", "homepage_url": url}, format="json"),
        "homepage_url",
    )


@pytest.mark.parametrize(
    "url, body, field",
    [
        ("/api/v1/tags/", {"name": "\x1c"}, "name"),
        ("/api/v1/authors/", {"name": "\x85\u3000"}, "name"),
        (LIST, {"title": "Storm", "tags": ["\x1f"]}, "tags"),
    ],
)
def test_text_of_white_space_alone_is_a_400(client_for, editor, url, body, field):
    assert_json_400(client_for(editor).post(url, body, format="json"), field)


def test_the_schemas_white_space_is_pythons():
    import re
    import sys

    from articles.api.schema import WHITE_SPACE

    spelled = re.compile(f"[{WHITE_SPACE}]")
    assert {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()} == {
        chr(c) for c in range(sys.maxunicode + 1) if spelled.match(chr(c))
    }
