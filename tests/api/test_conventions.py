"""What consumers of other APIs expect: problem details, CORS, pagination headers, filters by id or slug, and
unknown query parameters refused by name."""

import pytest
from django.core.cache import cache
from taggit.models import Tag

from articles.api.views import ArticleViewSet
from tests.api.conftest import ids

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"
PROBLEM_MEMBERS = {"type", "title", "status", "detail", "instance", "code"}


def assert_problem(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) >= PROBLEM_MEMBERS, body
    assert body["status"] == status and body["type"] == "about:blank" and body["detail"]
    assert body["instance"] == response.wsgi_request.path
    if code is not None:
        assert body["code"] == code, body
    return body


# Problem details


def test_a_field_error_is_a_problem_with_the_fields_messages(anon, newsroom):
    body = assert_problem(anon.get(LIST, {"source": "no-such-source"}), 400, "invalid")
    assert body["title"] == "Bad Request"
    assert list(body["errors"]) == ["source"] and "no-such-source" in body["errors"]["source"][0]
    assert body["detail"].startswith("source: ")


def test_a_body_error_is_a_problem_with_non_field_errors(client_for, editor):
    body = assert_problem(client_for(editor).post(LIST, data="[1, 2]", content_type="application/json"), 400)
    assert body["errors"]["non_field_errors"]


def test_authentication_and_permission_errors_are_problems(anon, client_for, reporter, newsroom):
    assert_problem(anon.post(LIST, {"title": "x"}, format="json"), 401, "not_authenticated")
    assert_problem(client_for(reporter).delete(f"{LIST}{newsroom.pipeline.pk}/"), 403, "permission_denied")


@pytest.mark.parametrize("url", [f"{LIST}no-such-slug/", "/api/v1/nothing-here/", "/api/unknown/"])
def test_not_found_is_a_problem_everywhere_under_the_api(anon, url):
    assert_problem(anon.get(url), 404, "not_found")


def test_a_method_not_allowed_is_a_problem(client_for, editor):
    assert_problem(client_for(editor).put(LIST, {}, format="json"), 405, "method_not_allowed")


def test_an_unacceptable_accept_header_is_a_problem(anon):
    assert_problem(anon.get(LIST, HTTP_ACCEPT="application/xml"), 406, "not_acceptable")


def test_a_stale_write_is_a_problem_with_the_current_revision(client_for, editor, newsroom):
    client = client_for(editor)
    url = f"{LIST}{newsroom.pipeline.pk}/"
    revision = client.get(url).json()["revision"]
    client.patch(url, {"title": "First change"}, format="json")
    body = assert_problem(client.patch(url, {"title": "Second", "revision": revision}, format="json"), 412)
    assert body["revision"] == revision + 1


def test_an_unsupported_media_type_is_a_problem(client_for, editor):
    assert_problem(client_for(editor).post(LIST, data="<a/>", content_type="application/xml"), 415)


def test_throttling_is_a_problem_with_retry_after(anon, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/minute", "user": "9/minute"},
    }
    cache.clear()
    anon.get(LIST)
    response = anon.get(LIST)
    assert_problem(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0


def test_a_server_error_is_a_problem_and_tells_nothing_of_its_cause(anon, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(ArticleViewSet, "list", fail)
    anon.raise_request_exception = False
    response = anon.get(LIST)
    body = assert_problem(response, 500, "server_error")
    assert "secret" not in response.content.decode()
    assert body["title"] == "Internal Server Error"


def test_the_browsable_api_still_shows_errors_as_html(anon):
    response = anon.get("/api/v1/articles/no-such-slug/", HTTP_ACCEPT="text/html")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_the_schema_documents_every_error_as_a_problem(anon):
    schema = anon.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert set(schema["components"]["schemas"]["Problem"]["required"]) == PROBLEM_MEMBERS
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for code in ("400", "401", "403", "404", "405", "406", "415", "429", "500"):
                content = operation["responses"][code]["content"]
                assert list(content) == ["application/problem+json"], (method, path, code)
    stale = schema["paths"]["/api/v1/articles/{key}/"]["patch"]["responses"]["412"]["content"]
    assert stale["application/problem+json"]["schema"] == {"$ref": "#/components/schemas/StaleWriteProblem"}


# CORS


def test_any_origin_may_read_the_api_and_the_feeds_without_credentials(anon, newsroom):
    for url in (LIST, "/feeds/"):
        response = anon.get(url, HTTP_ORIGIN="https://elsewhere.example")
        assert response["Access-Control-Allow-Origin"] == "https://elsewhere.example"
        assert "Access-Control-Allow-Credentials" not in response
    exposed = anon.get(LIST, HTTP_ORIGIN="https://elsewhere.example")["Access-Control-Expose-Headers"]
    assert {"Link", "X-Total-Count", "ETag"} <= {name.strip() for name in exposed.split(",")}


def test_an_unlisted_origin_is_not_allowed_to_write(anon, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example"]
    preflight = anon.options(LIST, HTTP_ORIGIN="https://elsewhere.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST")
    assert "Access-Control-Allow-Origin" not in preflight
    read_preflight = anon.options(
        LIST, HTTP_ORIGIN="https://elsewhere.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert read_preflight["Access-Control-Allow-Origin"] == "https://elsewhere.example"
    write = anon.post(LIST, {"title": "x"}, format="json", HTTP_ORIGIN="https://elsewhere.example")
    assert "Access-Control-Allow-Origin" not in write


def test_a_listed_origin_may_write(anon, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example"]
    preflight = anon.options(
        LIST,
        HTTP_ORIGIN="https://app.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="PATCH",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type, if-match",
    )
    assert preflight["Access-Control-Allow-Origin"] == "https://app.example"
    assert "PATCH" in preflight["Access-Control-Allow-Methods"]
    assert "if-match" in preflight["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in preflight


def test_other_addresses_get_no_cors_headers(anon):
    assert "Access-Control-Allow-Origin" not in anon.get("/admin/login/", HTTP_ORIGIN="https://elsewhere.example")


# Pagination headers


def links(response) -> dict:
    found = {}
    for part in response["Link"].split(", "):
        url, rel = part.split("; ")
        found[rel.removeprefix('rel="').removesuffix('"')] = url.strip("<>")
    return found


def test_a_page_carries_link_and_total_count_headers(anon, newsroom):
    response = anon.get(LIST, {"page_size": 1, "page": 2})
    assert response["X-Total-Count"] == "3"
    found = links(response)
    assert set(found) == {"first", "prev", "next", "last"}
    assert found["next"].endswith("page=3&page_size=1") or "page=3" in found["next"]
    assert "page=" not in found["first"] and "page=" not in found["prev"] and "page=3" in found["last"]
    assert response.json()["next"] == found["next"] and response.json()["previous"] == found["prev"]


def test_a_remembered_page_carries_the_same_headers(anon, newsroom):
    first = anon.get(LIST, {"page_size": 2})
    again = anon.get(LIST, {"page_size": 2})
    assert first["Link"] == again["Link"] and again["X-Total-Count"] == "3"


def test_limit_and_offset_page_as_wordpress_and_ghost_clients_send(anon, newsroom):
    response = anon.get(LIST, {"limit": 1, "offset": 1})
    assert ids(response) == [newsroom.vote.pk]
    found = links(response)
    assert "offset=2" in found["next"] and "offset=0" in found["prev"] and "offset=2" in found["last"]
    assert response.json()["next"] == found["next"]
    assert ids(anon.get(LIST, {"limit": 2, "offset": 2})) == [newsroom.pipeline.pk]


@pytest.mark.parametrize(
    "params",
    [{"limit": 1, "page_size": 2}, {"offset": 1, "page": 2}, {"offset": "-1"}, {"limit": 101}, {"offset": 3}],
)
def test_conflicting_or_bad_paging_is_a_problem(anon, newsroom, params):
    response = anon.get(LIST, params)
    assert response.status_code in (400, 404) and response["Content-Type"] == "application/problem+json"


def test_cursor_pages_link_the_next_page_without_a_count(anon, newsroom):
    response = anon.get(LIST, {"pagination": "cursor", "page_size": 1})
    assert "X-Total-Count" not in response
    assert links(response)["next"] == response.json()["next"]


def test_other_lists_carry_the_headers_too(anon, newsroom):
    response = anon.get("/api/v1/sources/", {"limit": 1})
    assert response["X-Total-Count"] == "2" and "next" in links(response)


# Filters


def test_relations_filter_by_id_or_slug_mixed_and_comma_separated(anon, newsroom):
    both = {newsroom.pipeline.pk, newsroom.market.pk, newsroom.vote.pk}
    assert set(ids(anon.get(LIST, {"source": f"frontier,{newsroom.astana.pk}"}))) == both
    assert set(ids(anon.get(LIST, {"source": str(newsroom.frontier.pk)}))) == {newsroom.pipeline.pk, newsroom.market.pk}
    topics = anon.get(LIST, {"topic": f"{newsroom.elections.pk},economy"})
    assert set(ids(topics)) == {newsroom.vote.pk, newsroom.pipeline.pk}
    energy = Tag.objects.get(name="energy")
    assert ids(anon.get(LIST, {"tag": str(energy.pk)})) == [newsroom.pipeline.pk]
    assert set(ids(anon.get(LIST, {"author": f"{newsroom.alena.pk}"}))) == {newsroom.pipeline.pk, newsroom.vote.pk}


def test_an_id_or_slug_nobody_may_see_is_a_problem_naming_it(anon, newsroom):
    body = assert_problem(anon.get(LIST, {"source": f"frontier,{newsroom.hidden_source.pk}"}), 400)
    assert str(newsroom.hidden_source.pk) in body["errors"]["source"][0]


def test_include_exclude_and_slug_narrow_every_list(anon, newsroom):
    market, vote = newsroom.market.pk, newsroom.vote.pk
    assert set(ids(anon.get(LIST, {"include": f"{market},{vote}"}))) == {market, vote}
    assert ids(anon.get(LIST, {"exclude": f"{market},{vote}"})) == [newsroom.pipeline.pk]
    assert ids(anon.get(LIST, {"slug": f"{newsroom.vote.slug},nothing"})) == [vote]
    assert ids(anon.get("/api/v1/sources/", {"slug": "astana"})) == [newsroom.astana.pk]
    assert ids(anon.get("/api/v1/topics/", {"include": newsroom.economy.pk})) == [newsroom.economy.pk]
    assert_problem(anon.get(LIST, {"include": "1,x"}), 400)


def test_status_takes_a_comma_separated_list(client_for, editor, newsroom):
    response = client_for(editor).get(LIST, {"status": "draft,review"})
    assert set(ids(response)) == {newsroom.draft.pk, newsroom.review.pk}


@pytest.mark.parametrize(
    ("url", "name"),
    [
        (LIST, "per_page"),
        (LIST, "sourc"),
        ("/api/v1/authors/", "orderby"),
        ("/api/v1/sources/", "q"),
        ("/api/v1/topics/", "per_page"),
        ("/api/v1/tags/", "nope"),
        ("/api/v1/stories/", "per_page"),
        ("/api/v1/changes/", "per_page"),
    ],
)
def test_an_unknown_query_parameter_is_a_problem_naming_it(anon, newsroom, url, name):
    body = assert_problem(anon.get(url, {name: "10"}), 400, "invalid")
    assert list(body["errors"]) == [name]


@pytest.mark.parametrize("url", ["/api/v1/feeds/", "/api/v1/webhooks/", "/api/v1/imports/", "/api/v1/import-batches/"])
def test_desk_lists_refuse_unknown_parameters_too(client_for, editor, url):
    body = assert_problem(client_for(editor).get(url, {"per_page": "5"}), 400)
    assert "page_size" in body["errors"]["per_page"][0]


def test_documented_parameters_are_accepted(anon, newsroom):
    params = {"format": "json", "page": 1, "page_size": 5, "ordering": "title", "search": "pipeline", "fields": "id"}
    assert anon.get(LIST, params).status_code == 200
    assert anon.get("/api/v1/changes/", {"after": 0, "limit": 5, "format": "json"}).status_code == 200


# The documentation


def test_every_parameter_is_typed_and_described_and_list_pages_declare_their_headers(anon):
    schema = anon.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                assert parameter.get("description", "").strip(), (method, path, parameter["name"])
                assert parameter["schema"].get("type"), (method, path, parameter["name"])
    articles = schema["paths"]["/api/v1/articles/"]["get"]
    assert {"Link", "X-Total-Count"} <= set(articles["responses"]["200"]["headers"])
    described = {parameter["name"]: parameter["description"] for parameter in articles["parameters"]}
    for name in ("source", "author", "topic", "tag"):
        assert "slug or id" in described[name]
    assert {"limit", "offset", "include", "exclude", "slug"} <= set(described)
