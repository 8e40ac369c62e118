"""Real `db_worker`, `run_scheduler` and `rqworker` processes polling feeds served by a real local HTTP server, on a
scratch database of the suite's engine: two schedulers and two workers poll many feeds and store each item once;
the database cut off in the middle of a poll (PostgreSQL) is recorded on the feed, and the next poll stores the
items; the Redis engine polls a feed with a real RQ worker."""

import json

import pytest
import redis
from django.conf import settings
from django.db import connection

from tests.feeds.documents import item, rss
from tests.feeds.server import Reply, static
from tests.importing.processes import OBSERVER
from tests.tasks.processes import execute, wait_for

ALLOW_PRIVATE = {"NEWSROOM_FEEDS_ALLOW_PRIVATE": "1"}
REDIS_URL = "redis://127.0.0.1:6379/5"
REDIS_ENGINE = {**ALLOW_PRIVATE, "NEWSROOM_TASKS_BACKEND": "redis", "NEWSROOM_TASKS_REDIS_URL": REDIS_URL}

SUBSCRIBE = """
import json
from articles.models import Feed
urls = {urls!r}
print(json.dumps([Feed.objects.create(url=url).pk for url in urls]))
"""


def feeds_state(database, ids) -> dict[int, dict]:
    columns = "id, last_success_at, consecutive_errors, last_error, items_seen, claim_token"
    where = f"id IN ({', '.join(str(int(pk)) for pk in ids)})"
    rows = database.query(f"SELECT {columns} FROM articles_feed WHERE {where}")  # noqa: S608 - ids from the test
    keys = ("id", "success", "errors", "error", "seen", "token")
    return {row[0]: dict(zip(keys, row, strict=True)) for row in rows}


def loaded(value):
    """A JSON column as the database driver hands it back: text on SQLite, already decoded on PostgreSQL."""
    return json.loads(value) if isinstance(value, str) else value


def titles(database, prefix: str) -> list[str]:
    return [row[0] for row in database.query(f"SELECT title FROM articles_article WHERE title LIKE '{prefix}%'")]  # noqa: S608


def test_two_schedulers_and_two_workers_poll_many_feeds_and_store_each_item_once(queue, server):
    database = queue.database
    queue.env.update(ALLOW_PRIVATE)
    feeds, per_feed = 24, 5
    for n in range(feeds):
        server.routes[f"/feed-{n}"] = static(rss([item(i, prefix=f"Many {n:02d}") for i in range(per_feed)]))
    ids = queue.python(SUBSCRIBE.format(urls=[server.url(f"/feed-{n}") for n in range(feeds)]))

    queue.scheduler("scheduler-a", interval="0.1")
    queue.scheduler("scheduler-b", interval="0.1")
    queue.worker("worker-a")
    queue.worker("worker-b")
    wait_for(
        lambda: all(state["success"] for state in feeds_state(database, ids).values()),
        seconds=240,
        what="every feed to be polled",
    )
    queue.stop_all()

    stored = titles(database, "Many ")
    assert len(stored) == feeds * per_feed
    assert len(set(stored)) == feeds * per_feed, "each item stored once"
    for n in range(feeds):
        assert server.paths().count(f"/feed-{n}") == 1, "each feed polled once: never by two workers"
    for state in feeds_state(database, ids).values():
        assert (state["errors"], state["seen"], state["token"]) == (0, per_feed, None)
    tasks = database.query(
        "SELECT status, worker_ids, args_kwargs FROM django_tasks_database_dbtaskresult "
        "WHERE task_path = 'articles.feeds.polling.poll_feeds'"
    )
    given = [feed_id for _, _, arguments in tasks for feed_id in loaded(arguments)["args"][0]]
    assert sorted(given) == sorted(ids), "each feed handed to one task, by one of the two schedulers"
    per_task = settings.NEWSROOM_FEEDS_PER_TASK
    assert all(len(loaded(arguments)["args"][0]) <= per_task for _, _, arguments in tasks)
    assert len(tasks) >= -(-feeds // per_task)
    assert {status for status, _, _ in tasks} == {"SUCCESSFUL"}
    workers = {loaded(w)[0] for _, w, _ in tasks}
    assert workers <= {"worker-a", "worker-b"}


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="A SQLite database is a file its worker holds open: nothing can take it away from a running process "
    "short of a lock held past the 20 s busy timeout. On PostgreSQL the server ends the worker's session; CI runs "
    "the suite on PostgreSQL too, where this test runs.",
)
def test_the_database_cut_off_during_a_poll_is_recorded_and_the_next_poll_stores_the_items(queue, server):
    database = queue.database
    assert database.vendor == "postgresql"
    import psycopg

    queue.env.update(ALLOW_PRIVATE)
    document = rss([item(i, prefix="Cut off") for i in range(3)])
    cuts = []

    def cut_then_answer(headers):
        # The worker is between its reads of the feed's row and its writes: end every session on the database but
        # this one and the test's own observers (as a database restart or a failover does), then answer.
        if not cuts:
            with psycopg.connect(database.url, autocommit=True) as conn:
                cuts.append(
                    conn.execute(
                        "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name <> %s",
                        [OBSERVER],
                    ).fetchone()[0]
                )
        return Reply(200, document, {"Content-Type": "application/rss+xml"})

    server.routes["/feed"] = cut_then_answer
    [feed_id] = queue.python(SUBSCRIBE.format(urls=[server.url("/feed")]))
    queue.scheduler()
    queue.worker("worker")
    wait_for(lambda: feeds_state(database, [feed_id])[feed_id]["errors"] >= 1, what="the poll's failure recorded")
    state = feeds_state(database, [feed_id])[feed_id]
    assert cuts and cuts[0] >= 1, "the worker's session was ended"
    assert "The database failed during the poll" in state["error"]
    assert state["token"] is None
    assert titles(database, "Cut off") == []

    execute(database, f"UPDATE articles_feed SET next_check_at = '2000-01-01 00:00:00+00:00' WHERE id = {feed_id}")  # noqa: S608
    wait_for(lambda: feeds_state(database, [feed_id])[feed_id]["success"], what="the next poll to succeed")
    assert sorted(titles(database, "Cut off")) == [f"Cut off story number {i}" for i in range(3)]
    assert feeds_state(database, [feed_id])[feed_id]["errors"] == 0


def test_a_feed_is_polled_by_a_real_rq_worker(queue, server):
    redis.Redis.from_url(REDIS_URL, socket_connect_timeout=10).ping()
    database = queue.database
    server.routes["/feed"] = static(rss([item(i, prefix="On Redis feed") for i in range(4)]))
    [feed_id] = queue.python(SUBSCRIBE.format(urls=[server.url("/feed")]))
    enqueued = queue.python(
        "import json\nfrom articles.models import Feed\nfrom articles.feeds.polling import request_poll\n"
        f"print(json.dumps(request_poll(Feed.objects.get(pk={feed_id}))))\n",
        env=REDIS_ENGINE,
    )
    assert enqueued is True
    queue.start("rq-worker", "rqworker", "default", "--burst", env=REDIS_ENGINE)
    assert queue.wait("rq-worker", seconds=120) == 0, queue.log("rq-worker")
    state = feeds_state(database, [feed_id])[feed_id]
    assert (state["errors"], state["seen"], state["token"]) == (0, 4, None), state
    assert len(titles(database, "On Redis feed")) == 4
