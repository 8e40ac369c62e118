"""The API on the production cache: Redis at 127.0.0.1:6379 (CI runs one), never skipped when it is missing.

Throttle counters, list counts and rendered bodies live in the default cache; with `REDIS_URL` set that is Redis, so
every server process sees the same counts. The keys of a test carry a prefix of their own and are deleted after it,
so the tests share the server with anything else that uses it.
"""

import pickle
import uuid

import pytest
import redis
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.test_settings import REDIS_URL

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"


@pytest.fixture
def redis_cache(settings):
    """Point the default cache at Redis (as `REDIS_URL` does); return a plain client and the tests' key prefix."""
    server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=5)
    server.ping()  # no Redis is a failure here, not a skip: production depends on it
    prefix = f"newsroom-test-{uuid.uuid4().hex}"
    backend = "django.core.cache.backends.redis.RedisCache"
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": REDIS_URL, "KEY_PREFIX": prefix}}
    yield server, prefix
    keys = list(server.scan_iter(f"{prefix}:*"))
    if keys:
        server.delete(*keys)
    server.close()


def rates(settings, anon: str, user: str) -> None:
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": anon, "user": user}}


def stored_history(server, prefix: str, key: str) -> list[float]:
    raw = server.get(f"{prefix}:1:{key}")
    assert raw is not None, f"{key} is not in Redis"
    return pickle.loads(raw)  # noqa: S301 - the test's own Redis keys, written by Django's cache


def test_the_api_answers_on_the_redis_cache_and_keeps_its_counts_there(redis_cache, newsroom):
    server, prefix = redis_cache
    client = APIClient()
    listing = client.get(LIST)
    detail = client.get(f"{LIST}{newsroom.pipeline.pk}/")
    assert listing.status_code == 200 and listing.json()["count"] == 3
    assert detail.status_code == 200 and detail.json()["title"] == "Pipeline deal signed"
    keys = {key.decode().split(":", 2)[2] for key in server.scan_iter(f"{prefix}:*")}
    assert "throttle_anon_127.0.0.1" in keys
    assert any(key.startswith("api:count:") for key in keys)
    assert any(key.startswith("api:body:") for key in keys)
    assert client.get(LIST).json() == listing.json()  # answered from what Redis holds


def test_anonymous_throttle_counts_are_shared_through_redis_by_two_clients(redis_cache, newsroom, settings):
    server, prefix = redis_cache
    rates(settings, anon="3/minute", user="100/minute")
    first, second = APIClient(), APIClient()
    assert [first.get(LIST).status_code for _ in range(2)] == [200, 200]
    assert len(stored_history(server, prefix, "throttle_anon_127.0.0.1")) == 2
    assert [second.get(LIST).status_code for _ in range(2)] == [200, 429]
    assert len(stored_history(server, prefix, "throttle_anon_127.0.0.1")) == 3
    server.delete(f"{prefix}:1:throttle_anon_127.0.0.1")  # the count lives in Redis, not in this process
    assert first.get(LIST).status_code == 200


def test_a_signed_in_users_throttle_count_is_shared_through_redis_by_two_clients(redis_cache, editor, settings):
    server, prefix = redis_cache
    rates(settings, anon="100/minute", user="2/minute")
    key = Token.objects.create(user=editor).key
    first, second = APIClient(), APIClient()
    first.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    second.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert first.get(LIST).status_code == 200
    assert second.get(LIST).status_code == 200
    assert second.get(LIST).status_code == 429
    assert len(stored_history(server, prefix, f"throttle_user_{editor.pk}")) == 2
