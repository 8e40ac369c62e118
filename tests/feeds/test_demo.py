"""The demo `make run` shows: the development server serves an invented feed at /demo/feed.xml, and the Procfile's
worker and scheduler poll it, so its items arrive at the desk without a second command."""

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from articles import demo
from tests.importing.processes import REPO, descendants, wait_until_gone
from tests.servers import free_port
from tests.tasks.processes import wait_for

HONCHO = Path(sys.executable).with_name("honcho")


def test_the_demo_feed_shows_a_few_items_then_one_more_a_minute(rf, monkeypatch):
    # Tests run with DEBUG off, where the demo's URL is not served: the view is called as the dev server would.
    monkeypatch.setattr(demo, "STARTED", time.monotonic())  # a server just started
    first = demo.demo_feed(rf.get("/demo/feed.xml"))
    assert first.status_code == 200
    assert first.content.count(b"<item>") == demo.FIRST_ITEMS
    assert demo.demo_feed(rf.get("/demo/feed.xml", headers={"if-none-match": first["ETag"]})).status_code == 304
    monkeypatch.setattr(demo, "STARTED", time.monotonic() - 125)  # two minutes later
    later = demo.demo_feed(rf.get("/demo/feed.xml"))
    assert later.content.count(b"<item>") == demo.FIRST_ITEMS + 2
    assert later["ETag"] != first["ETag"]


@pytest.mark.django_db
def test_make_runs_processes_bring_the_demo_feeds_items_to_the_desk(queue, tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}/demo/feed.xml"
    queue.database.manage("ensure_demo_feed", "--url", url)
    env = queue.environment(
        {
            "HOST": "127.0.0.1",
            "NEWSROOM_FEEDS_ALLOW_PRIVATE": "1",
            "NEWSROOM_SCHEDULER_INTERVAL_SECONDS": "0.5",
            "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        }
    )
    with open(tmp_path / "honcho.log", "wb") as log:
        command = [str(HONCHO), "start", "--procfile", "Procfile", "--port", str(port)]
        honcho = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    family: set[int] = set()
    query = "SELECT title FROM articles_article a JOIN articles_source s ON s.id = a.source_id WHERE s.name = "
    try:
        titles = wait_for(
            lambda: queue.database.query(query + "'Meridian Wire'"), seconds=180, what="the demo feed's items"
        )
        family = descendants(honcho.pid)
    finally:
        honcho.send_signal(signal.SIGINT)
        honcho.wait(timeout=60)
    wait_until_gone(family, seconds=30)
    assert {title for (title,) in titles} >= {"Lighthouse keeper's cottage becomes a museum"}
    [(success, errors)] = queue.database.query(
        f"SELECT last_success_at, consecutive_errors FROM articles_feed WHERE url = '{url}'"  # noqa: S608
    )
    assert success is not None
    assert errors == 0
