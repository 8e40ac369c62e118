"""Webhook latency: publish -> delivery, with one task worker and the scheduler, to a local receiver.

    python bench/webhooks_latency.py [--articles 200] [--postgres URL]

On a scratch database (SQLite, or PostgreSQL when `--postgres` names a server, e.g.
postgres://postgres@127.0.0.1:5432), one endpoint points at a local receiver; `db_worker` and `run_scheduler`
start; then `--articles` articles are published one at a time, each time stamped just before its commit. The
receiver notes when each `article.published` arrives. Printed: the count delivered, p50, p99 and max of publish ->
delivery in milliseconds.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.webhooks.receiver import Receiver  # noqa: E402 - the repository on the path first

PUBLISH = """
import json, time
from articles import workflow
from articles.models import Article, Source, WebhookEndpoint
WebhookEndpoint.objects.create(url={url!r}, events=["article.published"])
source = Source.objects.create(name="Bench")
stamps = {{}}
for n in range({count}):
    article = Article.objects.create(title=f"Bench {{n}}", source=source, body=f"Bench text {{n}}.")
    stamps[article.pk] = time.time()
    workflow.publish([article])
    time.sleep(0.02)
print(json.dumps(stamps))
"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--postgres", default="")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="webhooks-bench-"))
    if args.postgres:
        import psycopg

        name = f"newsroom_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(args.postgres.rstrip("/") + "/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = f"{args.postgres.rstrip('/')}/{name}"
    else:
        url = f"sqlite:///{scratch / 'bench.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": url, "NEWSROOM_WEBHOOKS_ALLOW_PRIVATE": "1"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=REPO, env=env, check=True)
    arrivals: dict[int, float] = {}
    receiver = Receiver()
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.05"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    scheduler = subprocess.Popen(
        [sys.executable, "manage.py", "run_scheduler", "--interval", "1"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(8)  # the worker and the scheduler started (their start is not what is measured)
        code = PUBLISH.format(url=receiver.url, count=args.articles)
        done = subprocess.run(
            [sys.executable, "manage.py", "shell", "-v0", "-c", code], cwd=REPO, env=env, capture_output=True, text=True
        )
        stamps = {int(pk): at for pk, at in json.loads(done.stdout.strip().splitlines()[-1]).items()}
        deadline = time.monotonic() + 60
        while len(receiver.received) < len(stamps) and time.monotonic() < deadline:
            time.sleep(0.05)
        with receiver.lock:
            for message in receiver.received:
                arrivals[json.loads(message["body"])["data"]["id"]] = message["at"]
    finally:
        for process in (worker, scheduler):
            process.terminate()
            process.wait(timeout=30)
        receiver.stop()
    latencies = [(arrivals[pk] - stamps[pk]) * 1000 for pk in stamps if pk in arrivals]
    print(f"delivered {len(latencies)} of {len(stamps)} on {'PostgreSQL' if args.postgres else 'SQLite'}")
    if latencies:
        print(
            f"publish -> delivery: p50 {percentile(latencies, 0.5):.0f} ms, p99 {percentile(latencies, 0.99):.0f} ms, "
            f"max {max(latencies):.0f} ms"
        )


if __name__ == "__main__":
    main()
