"""Fixtures for feed tests: a real local HTTP server (and a TLS one with a self-signed certificate), the invented
feeds of tests/fixtures/feeds, and private addresses allowed (the server is on 127.0.0.1) unless a test says not."""

from pathlib import Path

import pytest

from tests.feeds.server import FeedServer, self_signed_certificate

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"


@pytest.fixture
def server():
    running = FeedServer()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def certificate(tmp_path_factory):
    return self_signed_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def tls_server(certificate):
    running = FeedServer(tls_certificate=certificate)
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def private_addresses_allowed(settings):
    settings.NEWSROOM_FEEDS_ALLOW_PRIVATE = True
    settings.NEWSROOM_FEEDS_USER_AGENT_URL = "https://newsroom.example/about-our-reader"
    return settings


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


# The task tests' scratch database and worker processes, for the feed tests that run real workers.
from tests.tasks.conftest import queue, shared_database  # noqa: E402, F401
