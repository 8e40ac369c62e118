"""Real processes for import tests: a scratch database that separate processes share, a corpus of generated
pieces, the processes an import leaves, and a way to run one that the OS refuses to let read a closed file."""

import ctypes
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

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
        paragraphs = [
            f"Story {i}: the port handled {i * 7} ships this week, officials said.",
            f"Dockers in shift {i} expect more traffic next month as the season turns.",
        ]
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


# The application name of the suite's own connections to a scratch database, which watch what the processes under
# test do: a test that ends the processes' sessions (as a database restart does) spares these.
OBSERVER = "newsroom-test-observer"


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

    def manage(self, *args, check=True, timeout=300, **popen):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=REPO,
            env=self.env(),
            check=check,
            capture_output=True,
            text=True,
            timeout=timeout,
            **popen,
        )

    def spawn_import(self, *args, verbosity="0", **popen):
        command = [sys.executable, "manage.py", "import_articles", *args, "--verbosity", verbosity]
        return subprocess.Popen(
            command, cwd=REPO, env=self.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen
        )

    def observe(self):
        """Open a PostgreSQL connection of the suite's own (named OBSERVER): a test's cut of the sessions spares it."""
        import psycopg

        return psycopg.connect(self.url, application_name=OBSERVER)

    def query(self, sql):
        if self.vendor == "postgresql":
            with self.observe() as conn:
                return conn.execute(sql).fetchall()
        import sqlite3

        with sqlite3.connect(self.url.removeprefix("sqlite:///")) as conn:
            return [tuple(row) for row in conn.execute(sql).fetchall()]

    def drop(self):
        if self.vendor == "postgresql":
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def as_root_bound_by_file_modes() -> None:
    """Make this (child) process, when it runs as root, subject to file modes like any user: drop the capabilities
    that let root read and search whatever it likes (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH) from the bounding set,
    which the program it then executes is left without.

    Run it as a subprocess's `preexec_fn`. (Switching to an unprivileged user would do too, but this interpreter may
    live where such a user cannot reach it.)
    """
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "The capability could not be dropped (prctl PR_CAPBSET_DROP).")
