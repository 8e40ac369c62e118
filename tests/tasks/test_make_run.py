"""`make run`'s last step, `honcho start` with the Procfile: a web server, a worker and the scheduler from one command,
working together on one database, and all stopped by one Ctrl-C."""

import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

from tests.importing.processes import REPO, descendants, wait_until_gone
from tests.servers import free_port
from tests.tasks.processes import QUEUE_FILES, batches, records_of, wait_for, write_pieces

HONCHO = Path(sys.executable).with_name("honcho")


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - a local server of the test's own
            return response.status == 200
    except OSError:
        return False


def test_the_procfile_runs_the_web_server_a_worker_and_the_scheduler_together(queue, tmp_path):
    port = free_port()
    env = queue.environment({"HOST": "127.0.0.1", "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"})
    with open(tmp_path / "honcho.log", "wb") as log:
        command = [str(HONCHO), "start", "--procfile", "Procfile", "--port", str(port)]
        honcho = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    family: set[int] = set()
    try:
        wait_for(lambda: answers(f"http://127.0.0.1:{port}/api/v1/articles/"), what="the web server to answer")
        folder = write_pieces(tmp_path / "pieces", 3, prefix="Procfile")
        pieces = f"iter_piece_inputs([{str(folder)!r}], max_bytes=10**6)"
        code = QUEUE_FILES + f"print(queue_import({pieces}, ImportOptions()).pk)\n"
        batch_id = queue.python(code)
        # Nothing else is started: the worker of the Procfile takes the task and imports the pieces.
        wait_for(
            lambda: any(b["id"] == batch_id and b["status"] == "finished" for b in batches(queue.database)),
            what="the Procfile's worker to run the queued import",
        )
        assert records_of(queue.database, batch_id) == {"created": 3}
        family = descendants(honcho.pid)
        assert len(family) >= 3, "honcho runs the web server, the worker and the scheduler"
    finally:
        honcho.send_signal(signal.SIGINT)  # Ctrl-C in the terminal of `make run`
        honcho.wait(timeout=60)
    assert wait_until_gone(family, seconds=30) == set(), "Ctrl-C stops every process honcho started"
    output = (tmp_path / "honcho.log").read_text()
    for name in ("web.1", "worker.1", "scheduler.1"):
        assert f"{name} started" in output and f"{name} stopped" in output, output
