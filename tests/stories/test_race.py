"""Two imports at once, one of the originals and one of their near-copies: each story is still created once.

Real `import_articles` processes on a scratch database of the suite's engine (see tests/importing/processes.py).
"""

import time

import pytest
from django.db import connection

from tests.importing.conftest import scratch  # noqa: F401  (the fixture)
from tests.stories.texts import lightly_edited, piece

SEEDS = range(100, 160)


def test_two_imports_of_copies_of_the_same_stories_at_once_create_each_story_once(tmp_path, scratch):  # noqa: F811
    originals, copies = tmp_path / "originals", tmp_path / "copies"
    originals.mkdir()
    copies.mkdir()
    for seed in SEEDS:
        (originals / f"{seed}.txt").write_text(piece(seed))
        (copies / f"{seed}.txt").write_text(lightly_edited(seed))
    database = scratch()
    first = database.spawn_import(str(originals), "--batch-size", "3")
    second = database.spawn_import(str(copies), "--batch-size", "3")
    for process in (first, second):
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr
    assert database.query("SELECT COUNT(*) FROM articles_article")[0][0] == 2 * len(SEEDS)
    assert database.query("SELECT COUNT(*) FROM articles_article WHERE story_id IS NULL")[0][0] == 0
    assert database.query("SELECT COUNT(DISTINCT story_id) FROM articles_article")[0][0] == len(SEEDS)
    assert database.query("SELECT COUNT(*) FROM articles_story")[0][0] == len(SEEDS)
    assert database.query("SELECT MIN(size), MAX(size) FROM articles_story")[0] == (2, 2)
    # Each story pairs an original with its own copy: both files have the same name.
    pairs = database.query(
        "SELECT COUNT(DISTINCT a.title) FROM articles_article a GROUP BY a.story_id HAVING COUNT(*) = 2"
    )
    assert [count for (count,) in pairs] == [1] * len(SEEDS)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time: no race to provoke")
def test_two_imports_held_at_the_same_point_still_create_one_story(tmp_path, scratch):  # noqa: F811
    """Both imports are made to reach story assignment together: the test holds the story table locked (reads are
    allowed, inserts wait), so each import would read the band table, find nothing the other has committed and wait
    to insert its new story. Only the assignment's advisory lock keeps the second from reading before the first
    commits: without it (`_lock` doing nothing) this test ends with two stories of one size each."""
    import psycopg

    originals, copies = tmp_path / "originals", tmp_path / "copies"
    originals.mkdir()
    copies.mkdir()
    (originals / "a.txt").write_text(piece(7))
    # Another byline: a shared new author row would make the second import wait for the first's commit anyway.
    (copies / "b.txt").write_text(lightly_edited(7).replace("Dana Orlova", "Marat Bekov"))
    database = scratch()
    # The watcher is a connection of its own: a transaction sees pg_stat_activity as it was when it first read it.
    with psycopg.connect(database.url) as holder, psycopg.connect(database.url, autocommit=True) as watcher:
        holder.execute("LOCK TABLE articles_story IN EXCLUSIVE MODE")
        processes = [database.spawn_import(str(folder)) for folder in (originals, copies)]
        deadline = time.monotonic() + 240
        while _waiting(watcher, database.name) < 2:
            assert time.monotonic() < deadline, "the imports never both reached story assignment"
            assert all(p.poll() is None for p in processes), [p.communicate() for p in processes]
            time.sleep(0.2)
        holder.rollback()
    for process in processes:
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr
    assert database.query("SELECT COUNT(*) FROM articles_article")[0][0] == 2
    assert database.query("SELECT COUNT(*), MAX(size) FROM articles_story")[0] == (1, 2)


def _waiting(watcher, name: str) -> int:
    """How many sessions of the database wait for a lock (the table's, or the assignment's advisory lock)."""
    with watcher.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock' "
            "AND pid <> pg_backend_pid()",
            [name],
        )
        return cursor.fetchone()[0]
