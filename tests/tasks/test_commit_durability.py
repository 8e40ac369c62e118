"""Workers on PostgreSQL commit without waiting for the disk; web requests, and the tasks run inside them, wait.

`task_started` is sent as db_worker sends it, with the row of a task enqueued on the database queue; the immediate
engine runs a task inside this process as a web request would; the setting is read back from the server.
"""

import pytest
from django.db import connection
from django.tasks import task
from django.tasks.signals import task_started
from django_tasks_db.models import DBTaskResult

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="synchronous_commit is a PostgreSQL setting; SQLite's workers already commit without a full sync "
        "(WAL with synchronous=NORMAL). CI runs the suite on PostgreSQL too, where this test runs.",
    ),
]


@task
def report_synchronous_commit() -> str:
    return synchronous_commit()


def start_on_a_worker() -> None:
    report_synchronous_commit.enqueue()
    row = DBTaskResult.objects.get(task_path=f"{__name__}.report_synchronous_commit")
    task_started.send(sender=report_synchronous_commit.get_backend(), task_result=row.task_result)  # as db_worker does


def synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


@pytest.fixture(autouse=True)
def durable_again():
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET synchronous_commit")


def test_a_worker_starting_a_task_stops_waiting_for_the_disk():
    assert synchronous_commit() == "on"
    start_on_a_worker()
    assert synchronous_commit() == "off"


def test_a_task_run_inside_a_web_request_keeps_durable_commits(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    assert report_synchronous_commit.enqueue().return_value == "on"
    assert synchronous_commit() == "on"


def test_the_setting_on_keeps_workers_durable(settings):
    settings.NEWSROOM_TASK_SYNCHRONOUS_COMMIT = "on"
    start_on_a_worker()
    assert synchronous_commit() == "on"
