"""The OpenAPI schema: it validates, documents every filter, serves its docs offline, and the API keeps to it.

Schemathesis generates requests from the schema, valid and invalid, and runs every one of its checks on each
response (`call_and_validate()` without `checks=`): never a 5xx; a status, media type, headers and body the schema
declares; valid requests accepted and invalid ones refused; authentication enforced where the schema requires it
and not where it is optional. Values no schema can describe (rows that exist, names nobody holds, a piece that
imports) come from `tests/api/fuzzing.py`. The schema is loaded once, at import, through the WSGI app.
"""

import inspect

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import CHECKS, load_all_checks
from taggit.models import Tag

from articles.api.urls import router
from newsroom.wsgi import application
from tests.api import fuzzing

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
# Writes are fuzzed without the (exhaustive, slow) boundary-value phase, which the reads already exercise.
writes = schemathesis.openapi.from_wsgi("/api/schema/", application)
writes.config.phases.coverage.enabled = False


@pytest.mark.django_db
def test_the_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


def test_the_schema_documents_every_article_filter_and_both_paginations():
    operation = schema.raw_schema["paths"]["/api/v1/articles/"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {
        "search",
        "status",
        "source",
        "author",
        "topic",
        "tag",
        "tag_match",
        "language",
        "published_after",
        "published_before",
        "updated_since",
        "ordering",
        "page",
        "page_size",
        "pagination",
        "cursor",
        "fields",
    } <= names
    assert {"200", "304", "400", "429"} <= set(operation["responses"])


def test_every_operation_is_described_for_readers_not_by_an_inherited_internal_docstring():
    """drf-spectacular describes an operation by its view's docstring, inherited from a base class when the view
    has none of its own: each registered view has one, and no description is a base class's or a mixin's."""
    views = [viewset for _, viewset, _ in router.registry]
    assert all(viewset.__dict__.get("__doc__") for viewset in views)
    internal = {
        inspect.cleandoc(base.__doc__).split("\n")[0]
        for viewset in views
        for base in viewset.__mro__[1:]
        if base.__dict__.get("__doc__")
    }
    for path, operations in schema.raw_schema["paths"].items():
        for method, operation in operations.items():
            description = operation.get("description", "")
            assert description, f"{method} {path}"
            assert not any(description.startswith(first_line) for first_line in internal), f"{method} {path}"


@pytest.mark.django_db
def test_the_interactive_docs_are_served_without_any_cdn(anon):
    page = anon.get("/api/docs/").content.decode()
    assert "swagger-ui" in page and "/static/drf_spectacular_sidecar/" in page
    assert "cdn" not in page.lower()


@pytest.fixture(autouse=True)
def keep_the_test_connection_open():
    """Requests here go through the bare WSGI app, not Django's test client, so do what that client does: keep
    Django from closing the database connection (and with it the test's transaction) at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def editor_token(editor) -> str:
    return Token.objects.create(user=editor).key


@pytest.fixture
def feed_server(settings):
    """A local HTTP server answering every path with a feed, for subscriptions the fuzzer makes."""
    from tests.feeds.documents import item, rss
    from tests.feeds.server import FeedServer, static

    settings.NEWSROOM_FEEDS_ALLOW_PRIVATE = True
    server = FeedServer()
    server.default = static(rss([item(1, prefix="Fuzzed")]))
    yield server
    server.stop()


@pytest.fixture
def known_rows(newsroom, feed_server):
    """Tell the fuzzing hook which rows exist (tests/api/fuzzing.py)."""
    fuzzing.KNOWN.update(
        feed_url=feed_server.url("/feeds/"),
        source=newsroom.frontier.slug,
        author=newsroom.alena.slug,
        topic=newsroom.politics.slug,
        tag="energy",
        source_id=newsroom.frontier.pk,
        author_id=newsroom.alena.pk,
        topic_id=newsroom.politics.pk,
        tag_id=Tag.objects.get(name="energy").pk,
    )
    yield newsroom
    fuzzing.KNOWN.clear()


def test_the_fuzzing_runs_every_check_schemathesis_has():
    load_all_checks()
    names = CHECKS.get_all_names()
    assert {"positive_data_acceptance", "negative_data_rejection", "ignored_auth", "use_after_free"} <= set(names)
    for fuzzed in (schema, writes):
        config = fuzzed.config.checks_config_for()
        assert [name for name in names if not config.get_by_name(name=name).enabled] == []


@pytest.mark.django_db
@schema.include(method="GET").parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_anonymous_requests_never_fail_and_conform_to_the_schema(case, known_rows):
    case.call_and_validate()


@pytest.mark.django_db
@writes.exclude(method="GET").parametrize()
@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_anonymous_writes_are_refused_as_the_schema_says(case, known_rows):
    case.call_and_validate()


@pytest.mark.django_db
@writes.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_editor_requests_never_fail_and_conform_to_the_schema(case, known_rows, editor_token):
    case.call_and_validate(headers={"Authorization": f"Token {editor_token}"})


# Chained requests, signed in with a token the schema's config carries, so the checks know the credentials are real.
SEQUENCE_TOKEN = "5e9f0c1d2a3b4c5d6e7f8091a2b3c4d5e6f70819"
sequences = schemathesis.openapi.from_wsgi("/api/schema/", application)
sequences.config.update(headers={"Authorization": f"Token {SEQUENCE_TOKEN}"})
EditorSequences = sequences.as_state_machine()


@pytest.mark.django_db
def test_sequences_of_editor_requests_keep_to_the_schema(known_rows, editor):
    """Requests chained by the schema's links (create, then read, change, delete), with every check: among them,
    a created resource can be read at once and a deleted one stays gone."""
    Token.objects.create(user=editor, key=SEQUENCE_TOKEN)
    EditorSequences.run(
        settings=settings(
            max_examples=25,
            stateful_step_count=6,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
        )
    )
