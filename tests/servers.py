"""A real gunicorn serving newsroom from a scratch database, for tests of what only a real server shows."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")


def process_environment(env: dict[str, str]) -> dict[str, str]:
    """Return this process's environment with `env` on top, less what only the test process may set.

    The browser tests allow Django's async-unsafe calls in this process; a server or command started from here is a
    deployment of its own, where `check --deploy` rightly refuses that setting.
    """
    inherited = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {**inherited, **env}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """`gunicorn newsroom.wsgi` on a free local port with the given environment; stopped with `stop()`.

    With `serve_script`, it is started as an operator would, through `bin/serve` (port and workers from the
    environment).
    """

    def __init__(self, env: dict[str, str], *, workers: int = 1, log: Path, serve_script: bool = False):
        self.port = free_port()
        self.log = log
        if serve_script:
            command = [str(REPO / "bin" / "serve")]
            env = {**env, "HOST": "127.0.0.1", "PORT": str(self.port), "WEB_CONCURRENCY": str(workers)}
        else:
            command = [str(GUNICORN), "newsroom.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers)]
        with open(log, "wb") as output:
            self.process = subprocess.Popen(
                command,
                cwd=REPO,
                env=process_environment(env),
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.wait_until_listening()

    def wait_until_listening(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log.read_text()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not listen within {seconds} s:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
