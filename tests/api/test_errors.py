"""Bad input and abuse: every error is JSON with a reason, never an HTML page or a 500; rate limits hold."""

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"


@pytest.mark.parametrize(
    "params",
    [
        {"source": "no-such-source"},
        {"author": "nobody"},
        {"topic": "nothing"},
        {"tag": "never-used"},
        {"tag_match": "some"},
        {"status": "deleted"},
        {"published_after": "last tuesday"},
        {"published_before": "2024-13-45"},
        {"updated_since": "0"},
        {"ordering": "?"},
        {"search": "x" * 500},
        {"language": "x" * 40},
    ],
)
def test_unknown_or_malformed_filter_values_are_a_400_naming_the_parameter(anon, newsroom, params):
    response = anon.get(LIST, params)
    assert response.status_code == 400
    assert set(params) <= set(response.json()["errors"]), response.json()


def test_malformed_json_is_a_400_in_json(client_for, editor):
    response = client_for(editor).post(LIST, data='{"title": ', content_type="application/json")
    assert response.status_code == 400 and "JSON parse error" in response.json()["detail"]


def test_a_wrongly_typed_body_is_a_400(client_for, editor):
    response = client_for(editor).post(LIST, data="[1, 2]", content_type="application/json")
    assert response.status_code == 400 and "non_field_errors" in response.json()["errors"]


def test_an_unsupported_media_type_is_a_415_in_json(client_for, editor):
    response = client_for(editor).post(LIST, data="<a/>", content_type="application/xml")
    assert response.status_code == 415 and "Unsupported media type" in response.json()["detail"]


@pytest.mark.parametrize("content_type", ["application/json", "application/x-www-form-urlencoded", "text/plain"])
def test_an_oversize_body_is_refused_with_a_json_400(client_for, editor, settings, content_type):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    url = "/api/v1/imports/" if content_type == "text/plain" else LIST
    body = '{"title": "' + "x" * 2000 + '"}' if content_type == "application/json" else "title=" + "x" * 2000
    response = client_for(editor).post(url, data=body, content_type=content_type)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json" and "limit" in response.json()["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/articles/99999999999999999999999/",
        "/api/v1/articles/no-such-slug/",
        "/api/v1/nothing-here/",
        "/api/unknown/",
        "/api/v1/authors/123456/",
    ],
)
def test_unknown_addresses_are_a_json_404(anon, url):
    response = anon.get(url)
    assert response.status_code == 404 and "detail" in response.json()


@pytest.mark.parametrize(
    "params",
    [{"article": "99999999999999999999999"}, {"article": "abc"}, {"outcome": "lost"}, {"since": "soon"}],
)
def test_bad_import_record_filters_are_a_400(client_for, editor, params):
    response = client_for(editor).get("/api/v1/imports/", params)
    assert response.status_code == 400 and set(params) <= set(response.json()["errors"])


def test_anonymous_clients_are_throttled_at_the_configured_rate(anon, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "5/minute"},
    }
    cache.clear()
    statuses = [anon.get(LIST).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = anon.get(LIST)
    assert "throttled" in response.json()["detail"] and int(response["Retry-After"]) > 0


def test_signed_in_clients_have_their_own_higher_limit(client_for, editor, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/minute", "user": "3/minute"},
    }
    cache.clear()
    client = client_for(editor)
    assert [client.get(LIST).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_a_forwarded_for_header_does_not_reset_the_anonymous_limit(anon, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "9/minute"},
    }
    cache.clear()
    statuses = [anon.get(LIST, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code for n in range(3)]
    assert statuses == [200, 200, 429]


@pytest.mark.parametrize(
    "value", ["0174-04-15T06:39:18.0+21:08", "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"]
)
def test_a_date_with_an_offset_or_year_the_database_cannot_hold_is_a_400_or_converted(anon, newsroom, value):
    response = anon.get(LIST, {"published_before": value})
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert "published_before" in response.json()["errors"]
