import pytest

from tests.api.conftest import client_for, generous_throttles  # noqa: F401
from tests.webhooks.receiver import Receiver


@pytest.fixture
def receiver():
    running = Receiver()
    yield running
    running.stop()


@pytest.fixture
def allow_private(settings):
    settings.NEWSROOM_WEBHOOKS_ALLOW_PRIVATE = True
