"""Real queue processes for tests: `db_worker`s, `rqworker`s and schedulers on a scratch database that they share,
started as an operator would start them, and stopped (or killed) by the test."""

import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.importing.conftest import piece_text
from tests.importing.processes import REPO, ScratchDatabase
from tests.servers import process_environment


class QueueProcesses:
    """Worker and scheduler processes on `database`; every one still running is stopped by `stop_all()`."""

    def __init__(self, database: ScratchDatabase, logs: Path, env: dict[str, str] | None = None):
        self.database, self.logs, self.env = database, logs, dict(env or {})
        self.running: dict[str, subprocess.Popen] = {}
        logs.mkdir(parents=True, exist_ok=True)

    def environment(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        return process_environment({**self.database.env(), **self.env, **(extra or {})})

    def start(self, name: str, *command: str, env: dict[str, str] | None = None) -> subprocess.Popen:
        """Start `manage.py COMMAND...` as the process `name`, its output in the logs folder."""
        with open(self.logs / f"{name}.log", "wb") as log:
            process = subprocess.Popen(
                [sys.executable, "manage.py", *command],
                cwd=REPO,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self.environment(env),
            )
        self.running[name] = process
        return process

    def worker(self, name: str, *options: str, env: dict[str, str] | None = None) -> subprocess.Popen:
        """Start a database worker called `name` (its worker id), polling the queue every 0.2 s."""
        command = ["db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2", "--worker-id", name]
        return self.start(name, *command, *options, env=env)

    def scheduler(self, name: str = "scheduler", *, interval: str = "0.2", env=None) -> subprocess.Popen:
        return self.start(name, "run_scheduler", "--interval", interval, env=env)

    def python(self, code: str, *, env: dict[str, str] | None = None):
        """Run `code` in `manage.py shell` on the database; return the JSON its last line of output prints."""
        command = [sys.executable, "manage.py", "shell", "-v0", "-c", code]
        done = subprocess.run(command, cwd=REPO, env=self.environment(env), capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")

    def kill(self, name: str) -> None:
        """Kill the process `name` outright (SIGKILL), as the OOM killer or a power cut would."""
        process = self.running.pop(name)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)

    def wait(self, name: str, *, seconds: float = 120) -> int:
        process = self.running.pop(name)
        try:
            return process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise AssertionError(f"{name} did not exit within {seconds} s:\n{self.log(name)}") from None

    def stop_all(self) -> None:
        for name, process in list(self.running.items()):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            del self.running[name]


def wait_for(condition: Callable[[], object], *, seconds: float = 120, what: str = "the condition") -> object:
    """Poll `condition` until it returns something true; return it, or fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"Waited {seconds} s for {what}, in vain.")


def task_rows(database: ScratchDatabase) -> list[dict]:
    """Return the queue's task rows: status, task, arguments, workers, return value and error class."""
    rows = database.query(
        "SELECT status, task_path, args_kwargs, worker_ids, return_value, exception_class_path, traceback "
        "FROM django_tasks_database_dbtaskresult ORDER BY enqueued_at"
    )
    keys = ("status", "task", "args", "workers", "returned", "error", "traceback")
    found = []
    for row in rows:
        entry = dict(zip(keys, row, strict=True))
        for key in ("args", "workers", "returned"):
            if isinstance(entry[key], str):
                entry[key] = json.loads(entry[key])
        entry["args"] = entry["args"]["args"]
        found.append(entry)
    return found


def batches(database: ScratchDatabase) -> list[dict]:
    rows = database.query("SELECT id, status, counts, attempts, claim_token FROM articles_importbatch ORDER BY id")
    keys = ("id", "status", "counts", "attempts", "token")
    found = [dict(zip(keys, row, strict=True)) for row in rows]
    for batch in found:
        if isinstance(batch["counts"], str):
            batch["counts"] = json.loads(batch["counts"])
        batch["token"] = batch["token"] and str(batch["token"]).replace("-", "")
    return found


def count(database: ScratchDatabase, table: str) -> int:
    return database.query(f"SELECT COUNT(*) FROM {table}")[0][0]  # noqa: S608 - the tests' own table names


QUEUE_FILES = """
import json
from pathlib import Path
from articles.ingest import ImportOptions
from articles.ingest.queued import queue_import
from articles.ingest.reading import iter_piece_inputs
"""


def queue_folders(processes: QueueProcesses, folders: list[Path], *, batch_size: int = 500) -> list[int]:
    """Queue an import of each folder's pieces, in one process; return the batches' ids."""
    code = QUEUE_FILES + (
        f"folders = {[str(folder) for folder in folders]!r}\n"
        "ids = []\n"
        "for folder in folders:\n"
        "    pieces = iter_piece_inputs([folder], max_bytes=5_000_000)\n"
        f"    ids.append(queue_import(pieces, ImportOptions(batch_size={batch_size})).pk)\n"
        "print(json.dumps(ids))\n"
    )
    return processes.python(code)


def write_pieces(folder: Path, n: int, *, prefix: str) -> Path:
    """Write `n` pieces in the seed's shape to `folder`, titled after `prefix` (unique to each test)."""
    folder.mkdir(parents=True)
    for i in range(n):
        title = f"{prefix} report number {i}"
        paragraphs = [
            f"Story {i} of {prefix}: the port handled {i * 7} ships this week, officials said.",
            f"Dockers in shift {i} expect more traffic next month as the season turns.",
        ]
        (folder / f"{i:05d}.txt").write_text(piece_text(title, source="Harbour Times", paragraphs=paragraphs))
    return folder


def execute(database: ScratchDatabase, sql: str) -> None:
    """Run one statement that returns nothing (an UPDATE, a DELETE) on the scratch database, and commit it."""
    if database.vendor == "postgresql":
        with database.observe() as conn:
            conn.execute(sql)
        return
    import sqlite3

    with sqlite3.connect(database.url.removeprefix("sqlite:///"), timeout=30) as conn:
        conn.execute(sql)


def records_of(database: ScratchDatabase, batch_id: int) -> dict[str, int]:
    rows = database.query(
        f"SELECT outcome, COUNT(*) FROM articles_importrecord WHERE batch_id = {int(batch_id)} GROUP BY outcome"  # noqa: S608
    )
    return dict(rows)
