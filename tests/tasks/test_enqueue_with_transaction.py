"""Tasks an import enqueues with every batch are part of the batch's transaction on the database engine."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from articles import taskqueue
from articles.reading.tasks import read_articles

pytestmark = pytest.mark.django_db(transaction=True)


def reading_tasks() -> list[list]:
    found = DBTaskResult.objects.filter(task_path="articles.reading.tasks.read_articles")
    return [task.args_kwargs["args"] for task in found]


def test_the_task_row_is_written_in_the_transaction_and_commits_with_it(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        taskqueue.enqueue_with_transaction(read_articles, [7, 8])
        assert reading_tasks() == [[[7, 8]]]  # in the transaction already: no second one of its own at commit
    assert callbacks == []
    assert reading_tasks() == [[[7, 8]]]
    assert DBTaskResult.objects.get().status == "READY"


def test_a_rolled_back_transaction_takes_its_task_away():
    with pytest.raises(RuntimeError), transaction.atomic():
        taskqueue.enqueue_with_transaction(read_articles, [7])
        raise RuntimeError("the batch failed")
    assert reading_tasks() == []


def test_outside_a_transaction_the_task_is_enqueued_at_once():
    taskqueue.enqueue_with_transaction(read_articles, [9])
    assert reading_tasks() == [[[9]]]
