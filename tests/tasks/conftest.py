"""Fixtures for tests of the task queue with real processes: one scratch database per module, shared by its
tests (each test queues pieces of its own), and the worker and scheduler processes of each test, stopped after it."""

import pytest

from tests.importing.processes import ScratchDatabase
from tests.tasks.processes import QueueProcesses


@pytest.fixture(scope="module")
def shared_database(tmp_path_factory, django_db_blocker):
    """A scratch database of the suite's engine (SQLite file or PostgreSQL database), migrated once a module."""
    with django_db_blocker.unblock():
        database = ScratchDatabase(tmp_path_factory.mktemp("queue-db"))
    yield database
    database.drop()


@pytest.fixture
def queue(shared_database, tmp_path):
    """Start workers and schedulers on the module's database; whatever still runs is stopped after the test."""
    processes = QueueProcesses(shared_database, tmp_path / "logs")
    yield processes
    processes.stop_all()
