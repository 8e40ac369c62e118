"""The Redis engine (NEWSROOM_TASKS_BACKEND=redis: django-tasks-rq on RQ) with a real `rqworker` process against the
machine's Redis on 127.0.0.1:6379 (database 5). Redis being unreachable fails these tests: CI has Redis."""

import redis

from tests.tasks.processes import QUEUE_FILES, batches, records_of, write_pieces

REDIS_URL = "redis://127.0.0.1:6379/5"
REDIS_ENGINE = {"NEWSROOM_TASKS_BACKEND": "redis", "NEWSROOM_TASKS_REDIS_URL": REDIS_URL}


def test_redis_is_reachable():
    assert redis.Redis.from_url(REDIS_URL, socket_connect_timeout=10).ping(), f"Redis must answer at {REDIS_URL}"


def test_a_queued_import_runs_in_a_real_rq_worker_and_a_second_delivery_stores_nothing(queue, tmp_path):
    redis.Redis.from_url(REDIS_URL, socket_connect_timeout=10).ping()
    folder = write_pieces(tmp_path / "pieces", 4, prefix="On Redis")
    # The queued import enqueues its task on commit; the same task (same batch, same claim) is then enqueued again
    # by hand, as a queue redelivers. Core django.tasks calls, through django-tasks-rq.
    enqueued = queue.python(
        QUEUE_FILES
        + "from articles.ingest.queued import run_queued_import\n"
        + f"batch = queue_import(iter_piece_inputs([{str(folder)!r}], max_bytes=10**6), ImportOptions())\n"
        + "again = run_queued_import.enqueue(batch.pk, batch.claim_token.hex)\n"
        + "print(json.dumps({'batch': batch.pk, 'again': again.id, 'status': str(again.status)}))\n",
        env=REDIS_ENGINE,
    )
    assert enqueued["status"] == "READY"

    queue.start("rq-worker", "rqworker", "default", "--burst", env=REDIS_ENGINE)
    assert queue.wait("rq-worker", seconds=120) == 0, queue.log("rq-worker")

    [found] = [batch for batch in batches(queue.database) if batch["id"] == enqueued["batch"]]
    assert found["status"] == "finished"
    assert found["token"] is None, "the claim is released once the import is done"
    assert records_of(queue.database, enqueued["batch"]) == {"created": 4}, "stored once, whatever the deliveries"
    result = queue.python(
        "import json\n"
        "from articles.ingest.queued import run_queued_import\n"
        f"result = run_queued_import.get_result({enqueued['again']!r})\n"
        "print(json.dumps({'status': str(result.status), 'value': result.return_value, "
        "'workers': len(result.worker_ids)}))\n",
        env=REDIS_ENGINE,
    )
    assert result["status"] == "SUCCESSFUL"
    assert result["workers"] == 1
    assert result["value"] == {
        "batch": enqueued["batch"],
        "skipped": "The batch's claim is not this task's: its work is done or passed on.",
    }
