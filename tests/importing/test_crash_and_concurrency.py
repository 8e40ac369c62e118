"""Real processes against a real database file or server: a killed import, a re-run, and two imports at once.

These run `manage.py import_articles` as separate processes (as an operator would), on a scratch database of
the same engine as the suite: a SQLite file, or a scratch PostgreSQL database when DATABASE_URL points at one.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from tests.importing.conftest import piece_text

REPO = Path(__file__).resolve().parents[2]
ARTICLE_STATE = """
    SELECT a.title, a.slug, a.body, a.summary, COALESCE(s.name, ''), a.revision,
           (SELECT COUNT(*) FROM articles_byline b WHERE b.article_id = a.id)
    FROM articles_article a LEFT JOIN articles_source s ON s.id = a.source_id ORDER BY a.slug
"""


def make_corpus(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        title = f"Harbour report number {i}"
        paragraphs = [f"Story {i}: the port handled {i * 7} ships this week, officials said.",
                      f"Dockers in shift {i} expect more traffic next month as the season turns."]  # fmt: skip
        source = ["Harbour Times", "Daily Courier", "Steppe Review"][i % 3]
        (folder / f"{i:04d}.txt").write_text(piece_text(title, source=source, paragraphs=paragraphs))
    return folder


def descendants(pid: int) -> set[int]:
    """Return the ids of every process descended from `pid` (read from /proc)."""
    parents = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        parents[int(status.parent.name)] = int(fields.get("PPid", "0"))
    family, grew = {pid}, True
    while grew:
        new = {child for child, parent in parents.items() if parent in family and child not in family}
        family |= new
        grew = bool(new)
    return family - {pid}


def wait_until_gone(pids: set[int], *, seconds: float) -> set[int]:
    """Wait up to `seconds` for the processes `pids` to end; return those still running."""
    deadline = time.monotonic() + seconds
    alive = set(pids)
    while alive and time.monotonic() < deadline:
        alive = {pid for pid in alive if Path(f"/proc/{pid}").exists() and not _zombie(pid)}
        time.sleep(0.1)
    return alive


def _zombie(pid: int) -> bool:
    try:
        return " Z " in Path(f"/proc/{pid}/stat").read_text().split(")", 1)[1][:4]
    except OSError:
        return False


class ScratchDatabase:
    """A database of the suite's engine that separate processes can share, outside the test transaction."""

    def __init__(self, tmp_path: Path):
        self.vendor = connection.vendor
        if self.vendor == "postgresql":
            base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
            self.name = f"newsroom_scratch_{uuid.uuid4().hex[:10]}"
            self.admin_url = base + "/postgres"
            self.url = f"{base}/{self.name}"
            self._admin(f'CREATE DATABASE "{self.name}"')
        else:
            self.url = f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
        self.manage("migrate", "--noinput")

    def _admin(self, sql):
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(sql)

    def env(self):
        return {**os.environ, "DATABASE_URL": self.url, "DJANGO_SETTINGS_MODULE": "newsroom.settings"}

    def manage(self, *args, check=True):
        return subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=self.env(), check=check,
                              capture_output=True, text=True, timeout=300)  # fmt: skip

    def spawn_import(self, *args):
        command = [sys.executable, "manage.py", "import_articles", *args, "--verbosity", "0"]
        return subprocess.Popen(command, cwd=REPO, env=self.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)  # fmt: skip

    def query(self, sql):
        if self.vendor == "postgresql":
            import psycopg

            with psycopg.connect(self.url) as conn:
                return conn.execute(sql).fetchall()
        import sqlite3

        with sqlite3.connect(self.url.removeprefix("sqlite:///")) as conn:
            return [tuple(row) for row in conn.execute(sql).fetchall()]

    def drop(self):
        if self.vendor == "postgresql":
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def scratch(tmp_path):
    databases = []

    def make(name="db"):
        folder = tmp_path / name
        folder.mkdir()
        databases.append(ScratchDatabase(folder))
        return databases[-1]

    yield make
    for database in databases:
        database.drop()


def test_a_killed_import_and_a_rerun_give_the_same_articles_as_one_clean_run(tmp_path, scratch):
    corpus = make_corpus(tmp_path / "corpus", 1200)
    interrupted, clean = scratch("interrupted"), scratch("clean")

    process = interrupted.spawn_import(str(corpus), "--batch-size", "50")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        stored = interrupted.query("SELECT COUNT(*) FROM articles_article")[0][0]
        if stored >= 200 or process.poll() is not None:
            break
        time.sleep(0.05)
    helpers = descendants(process.pid)
    process.send_signal(signal.SIGKILL)
    process.wait()
    stored = interrupted.query("SELECT COUNT(*) FROM articles_article")[0][0]
    assert 0 < stored < 1200, "the import should have been killed part-way"
    assert stored % 50 == 0, "only whole batches are ever stored"
    assert helpers, "the import should have been staging in worker processes"
    assert wait_until_gone(helpers, seconds=10) == set(), "the killed import's staging processes outlived it"

    rerun = interrupted.manage("import_articles", str(corpus), "--batch-size", "50", "--verbosity", "0")
    assert rerun.returncode == 0, rerun.stderr
    clean.manage("import_articles", str(corpus), "--batch-size", "50", "--verbosity", "0")
    assert interrupted.query(ARTICLE_STATE) == clean.query(ARTICLE_STATE)
    outcomes = dict(interrupted.query("SELECT outcome, COUNT(*) FROM articles_importrecord GROUP BY outcome"))
    assert outcomes == {"created": 1200, "unchanged": stored}


def test_two_imports_of_the_same_folder_at_once_create_each_article_once(tmp_path, scratch):
    corpus = make_corpus(tmp_path / "corpus", 600)
    database = scratch()
    first = database.spawn_import(str(corpus), "--batch-size", "25")
    second = database.spawn_import(str(corpus), "--batch-size", "25")
    for process in (first, second):
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr
    assert database.query("SELECT COUNT(*) FROM articles_article")[0][0] == 600
    assert database.query("SELECT COUNT(*) FROM articles_source")[0][0] == 3
    assert database.query("SELECT COUNT(DISTINCT fingerprint) FROM articles_article")[0][0] == 600
    outcomes = dict(database.query("SELECT outcome, COUNT(*) FROM articles_importrecord GROUP BY outcome"))
    assert outcomes.get("created") == 600 and outcomes.get("unchanged") == 600 and "failed" not in outcomes
