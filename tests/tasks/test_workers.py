"""Real `db_worker` and `run_scheduler` processes sharing one queue in the database, as on several machines.

The scratch database is of the suite's engine: a SQLite file, or a PostgreSQL database when DATABASE_URL points at
one (there the workers claim task rows with SKIP LOCKED, and the schedulers claim due rows FOR UPDATE SKIP LOCKED).
"""

from collections import Counter

from tests.importing.processes import descendants, wait_until_gone
from tests.tasks.processes import (
    batches,
    count,
    execute,
    queue_folders,
    records_of,
    task_rows,
    wait_for,
    write_pieces,
)

IMPORT_TASK = "articles.ingest.queued.run_queued_import"
# Short, so the test need not wait long for a dead worker's claim to lapse; but longer than a live worker takes
# between two renewals, the first of which waits for its staging processes to start (word lists and all): at 3 s,
# a loaded machine let the rescuer's own lease lapse once and the import was taken up a third time.
SHORT_LEASE = {"NEWSROOM_TASK_LEASE_SECONDS": "10"}


def rows_for(database, batch_ids) -> list[dict]:
    return [row for row in task_rows(database) if row["task"] == IMPORT_TASK and row["args"][0] in set(batch_ids)]


def batch(database, batch_id) -> dict:
    return next(found for found in batches(database) if found["id"] == batch_id)


def articles_titled(database, prefix: str) -> int:
    return database.query(f"SELECT COUNT(*) FROM articles_article WHERE title LIKE '{prefix} report number %'")[0][0]  # noqa: S608


def test_two_workers_share_the_queue_and_each_task_runs_once(queue, tmp_path):
    database = queue.database
    folders = [write_pieces(tmp_path / f"folder-{i}", 3, prefix=f"Shared {i}") for i in range(12)]
    ids = queue_folders(queue, folders)

    # Each worker may run at most six tasks, then exits (as it does once the queue is empty): all twelve done means
    # each took six, from one queue, and none ran a task the other ran.
    queue.worker("worker-a", "--batch", "--max-tasks", "6")
    queue.worker("worker-b", "--batch", "--max-tasks", "6")
    assert queue.wait("worker-a") == 0, queue.log("worker-a")
    assert queue.wait("worker-b") == 0, queue.log("worker-b")

    rows = rows_for(database, ids)
    assert sorted(row["args"][0] for row in rows) == sorted(ids), "one task per queued import"
    assert [row["status"] for row in rows] == ["SUCCESSFUL"] * 12, [row["traceback"] for row in rows]
    assert all(len(row["workers"]) == 1 for row in rows), "no task was taken twice"
    assert Counter(row["workers"][0] for row in rows) == {"worker-a": 6, "worker-b": 6}
    for batch_id in ids:
        assert batch(database, batch_id)["status"] == "finished"
        assert records_of(database, batch_id) == {"created": 3}
    assert sum(articles_titled(database, f"Shared {i}") for i in range(12)) == 36
    assert count(database, "articles_queuedpiece") == 0, "the queued bytes go once they are recorded"


def test_a_worker_killed_mid_import_loses_nothing_and_another_worker_finishes_it(queue, tmp_path):
    database = queue.database
    pieces = 2500
    [batch_id] = queue_folders(queue, [write_pieces(tmp_path / "corpus", pieces, prefix="Killed")], batch_size=20)

    doomed = queue.worker("doomed", env=SHORT_LEASE)
    wait_for(lambda: sum(records_of(database, batch_id).values()) >= 100, what="the import to be under way")
    staging = descendants(doomed.pid)
    queue.kill("doomed")
    stored = sum(records_of(database, batch_id).values())
    assert 0 < stored < pieces, "the worker should have been killed part-way"
    assert staging, "the import should have been staging in worker processes"
    assert wait_until_gone(staging, seconds=10) == set(), "the killed worker's staging processes outlived it"
    [killed] = rows_for(database, [batch_id])
    assert killed["status"] == "RUNNING", "a worker killed outright cannot say so itself"

    # The claim's lease lapses ten seconds after the last renewal; the scheduler then enqueues the import again
    # and marks the dead worker's task failed; the other worker finishes the batch where the first one stopped.
    queue.scheduler(env=SHORT_LEASE)
    queue.worker("rescuer", env=SHORT_LEASE)
    wait_for(lambda: batch(database, batch_id)["status"] == "finished", what="the import to finish")
    wait_for(lambda: rows_for(database, [batch_id])[0]["status"] == "FAILED", what="the dead task to be marked")
    # The batch is marked finished inside the task; the worker records the task's success just after it returns.
    wait_for(lambda: rows_for(database, [batch_id])[-1]["status"] != "RUNNING", what="the rescue to be recorded")

    assert records_of(database, batch_id) == {"created": pieces}, "each piece recorded once, none lost"
    assert articles_titled(database, "Killed") == pieces
    assert batch(database, batch_id)["counts"]["created"] == pieces
    assert batch(database, batch_id)["attempts"] == 2
    assert database.query(f"SELECT COUNT(*) FROM articles_queuedpiece WHERE batch_id = {batch_id}")[0][0] == 0  # noqa: S608
    killed, rescued = rows_for(database, [batch_id])
    assert (killed["status"], killed["workers"], killed["error"]) == (
        "FAILED",
        ["doomed"],
        "articles.taskqueue.WorkerLost",
    )
    assert "stopped before it ended" in killed["traceback"]
    assert (rescued["status"], rescued["workers"]) == ("SUCCESSFUL", ["rescuer"])
    assert rescued["returned"]["created"] == pieces


def test_two_schedulers_ticking_at_once_enqueue_one_task_per_due_import(queue, tmp_path):
    database = queue.database
    ids = queue_folders(queue, [write_pieces(tmp_path / f"due-{i}", 1, prefix=f"Due {i}") for i in range(30)])
    id_list = ", ".join(map(str, ids))
    lapse = f"UPDATE articles_importbatch SET claimed_until = '2000-01-01 00:00:00+00:00' WHERE id IN ({id_list})"  # noqa: S608
    rounds = 4

    queue.scheduler("scheduler-a", interval="0.05")
    queue.scheduler("scheduler-b", interval="0.05")
    for round_number in range(1, rounds + 1):
        # Every claim lapses at once (as when their worker died): both schedulers find all 30 due together.
        execute(database, lapse)
        expected = 30 * (round_number + 1)  # the task queue_import enqueued, and one a round
        wait_for(lambda n=expected: len(rows_for(database, ids)) >= n, what=f"round {round_number}'s tasks")
    queue.stop_all()

    rows = rows_for(database, ids)
    assert len(rows) == 30 * (rounds + 1), "each due import was enqueued once a round, by one scheduler"
    tokens = Counter((row["args"][0], row["args"][1]) for row in rows)
    assert set(tokens.values()) == {1}, "no claim was given to two tasks"
    for batch_id in ids:
        assert sum(1 for (pk, _token) in tokens if pk == batch_id) == rounds + 1
        latest = [row["args"][1] for row in rows if row["args"][0] == batch_id][-1]
        assert batch(database, batch_id)["token"] == latest, "the batch is held by the claim enqueued last"

    # Every task is delivered; only the one holding the batch's claim imports, the others find it not theirs.
    queue.worker("drain", "--batch")
    assert queue.wait("drain", seconds=300) == 0, queue.log("drain")
    rows = rows_for(database, ids)
    assert all(row["status"] == "SUCCESSFUL" for row in rows)
    imported = [row for row in rows if "skipped" not in row["returned"]]
    assert sorted(row["args"][0] for row in imported) == sorted(ids)
    assert all(row["returned"]["created"] == 1 for row in imported)
    for batch_id in ids:
        assert records_of(database, batch_id) == {"created": 1}
