"""Feed polling under load: a full poll cycle of many feeds by one scheduler and two workers, against
`import_articles` on the same items in the same run.

    python bench/feeds_load.py [--feeds 1000] [--fresh 100] [--items 20] [--memory-feeds 10000] [--postgres URL]

A local threaded HTTP server serves `--feeds` RSS feeds: `--fresh` of them with `--items` new items each (realistic
WordPress item HTML of about 300 words, each item a story of its own: paragraphs, a spacer, a subheading, a list, a
figure, a script, the footer), the others answering 304 to
the ETag they were subscribed with. On a scratch database (SQLite, then PostgreSQL when `--postgres` names a server,
e.g. postgres://postgres@127.0.0.1:5432), the feeds are subscribed, all due; then `run_scheduler` and two
`db_worker`s start, and the cycle ends when every feed has been polled. Printed: the cycle's time, polls per second
(per worker too), new items stored per second end to end, and the same documents imported by `import_articles` in
one process on a fresh database, with the ratio. Then memory: the peak resident size of the scheduler and the
workers through a cycle of `--feeds` and of `--memory-feeds` feeds (all 304), with the ratio.
"""

import argparse
import functools
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.feeds.server import FeedServer, Reply  # noqa: E402 - the repository on the path first

WORKER = ["db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1"]
PARAGRAPHS, SENTENCES, WORDS = 7, (2, 4), (9, 24)


@functools.cache
def vocabulary() -> list[str]:
    """English words for the invented items, common ones first: wordfreq's top 5,000 that are plain words."""
    from wordfreq import top_n_list

    return [word for word in top_n_list("en", 6000) if word.isalpha() and len(word) > 1][:5000]


def sentence(rng: random.Random) -> str:
    words = rng.choices(vocabulary(), k=rng.randint(*WORDS))
    return " ".join(words).capitalize() + rng.choice(".....?")


def item_html(feed: int, n: int, run: str = "") -> str:
    """A WordPress item's HTML, different for every feed, item and run (each a story of its own, about 400 words):
    paragraphs, a spacer, a figure, a subheading, a list and a script."""
    rng = random.Random(f"{run}/{feed}/{n}")
    paragraphs = [" ".join(sentence(rng) for _ in range(rng.randint(*SENTENCES))) for _ in range(PARAGRAPHS)]
    return (
        "".join(f"<p>{escape(text)}</p>\n" for text in paragraphs[:3])
        + "<p>&nbsp;</p>\n"
        + '<figure><img src="https://wire.example/photo.jpg" alt=""><figcaption>The chamber on Monday.</figcaption>'
        "</figure>\n<h2>What happens next</h2>\n"
        + "".join(f"<p>{escape(text)}</p>\n" for text in paragraphs[3:])
        + f"<ul><li>{escape(sentence(rng))}</li><li>tenders in <strong>May</strong></li></ul>\n"
        "<script>track();</script>\n"
    )


def feed_document(feed: int, items: int, run: str) -> bytes:
    entries = []
    for n in range(items):
        title = (
            f"District {feed} {run} report {n}: {' '.join(random.Random(f'{run}{feed}{n}').choices(vocabulary(), k=6))}"
        )
        link = f"https://wire.example/{run}/{feed}/{n}/"
        footer = (
            f'<p>The post <a href="{link}">{escape(title)}</a> appeared first on '
            f'<a href="https://gazette.example">Gazette {feed % 20}</a>.</p>'
        )
        entries.append(
            f"<item><title>{escape(title)}</title><link>{link}</link>"
            "<dc:creator><![CDATA[Mira Oduya]]></dc:creator><pubDate>Tue, 01 Dec 2026 08:30:00 +0000</pubDate>"
            f'<category><![CDATA[Region]]></category><guid isPermaLink="false">{link}</guid>'
            f"<content:encoded><![CDATA[{item_html(feed, n, run)}{footer}]]></content:encoded></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<channel><title>District {feed} wire</title><link>https://wire.example/{feed}/</link>"
        f"<description>Invented</description>{''.join(entries)}</channel></rss>\n"
    ).encode()


class Scratch:
    """A scratch database (a SQLite file, or a PostgreSQL database on `postgres`), migrated, dropped at the end."""

    def __init__(self, folder: Path, postgres: str | None):
        self.postgres = postgres
        if postgres:
            self.name = f"newsroom_bench_feeds_{uuid.uuid4().hex[:8]}"
            self._admin(f'CREATE DATABASE "{self.name}"')
            self.url = f"{postgres.rstrip('/')}/{self.name}"
        else:
            self.url = f"sqlite:///{folder / f'bench-{uuid.uuid4().hex[:6]}.sqlite3'}"
        self.manage("migrate", "--noinput")

    def _admin(self, sql):
        import psycopg

        with psycopg.connect(f"{self.postgres.rstrip('/')}/postgres", autocommit=True) as conn:
            conn.execute(sql)

    def env(self, **extra):
        return {
            **os.environ,
            "DATABASE_URL": self.url,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "NEWSROOM_FEEDS_ALLOW_PRIVATE": "1",
            **extra,
        }

    def manage(self, *args):
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=REPO, env=self.env(), check=True, capture_output=True, text=True
        )

    def query(self, sql: str) -> list[tuple]:
        """Run `sql` on the database directly (no Django process: the bench's own polling must cost little)."""
        if self.postgres:
            import psycopg

            with psycopg.connect(self.url) as conn:
                return conn.execute(sql).fetchall()
        import sqlite3

        with sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=30) as conn:
            return conn.execute(sql).fetchall()

    def window(self, table: str, start: str, end: str, where: str = "") -> float:
        """Seconds from the earliest `start` to the latest `end` of the rows of `table` (the queue's or the
        import's own timestamps: process start-up is not counted)."""
        sql = f"SELECT MIN({start}), MAX({end}) FROM {table} {where}"
        first, last = self.query(sql)[0]
        if isinstance(first, str):
            from datetime import datetime

            first, last = datetime.fromisoformat(first), datetime.fromisoformat(last)
        return (last - first).total_seconds()

    def shell(self, code: str) -> str:
        return self.manage("shell", "-v0", "-c", code).stdout.strip()

    def drop(self):
        if self.postgres:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def subscribe(db: Scratch, server: FeedServer, feeds: int, fresh: int) -> None:
    # The URLs are built in the shell from their pattern: 10,000 of them spelled out exceed the argument limit.
    pattern = server.url("/feed-{n}")
    db.shell(
        "from articles.models import Feed\nfrom django.utils import timezone\nfrom datetime import timedelta\n"
        f"urls = [{pattern!r}.format(n=n) for n in range({feeds})]\nnow = timezone.now() - timedelta(seconds=1)\n"
        f"Feed.objects.bulk_create([Feed(url=u, next_check_at=now, etag='' if i < {fresh} else '\"same\"') "
        "for i, u in enumerate(urls)], batch_size=500)\n"
    )


def cycle(db: Scratch, logs: Path, feeds: int) -> dict:
    """Start one scheduler and two workers, wait until every feed was polled once, stop them; return figures."""
    env = db.env(NEWSROOM_SCHEDULER_INTERVAL_SECONDS="0.5")
    started = time.monotonic()
    processes = {}
    for name, command in [
        ("scheduler", ["run_scheduler"]),
        (
            "worker-a",
            ["db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1", "--worker-id", "worker-a"],
        ),
        (
            "worker-b",
            ["db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1", "--worker-id", "worker-b"],
        ),
    ]:
        with open(logs / f"{name}.log", "wb") as log:
            processes[name] = subprocess.Popen(
                [sys.executable, "manage.py", *command], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT
            )
    peak = dict.fromkeys(processes, 0)
    polled = 0
    while polled < feeds:
        time.sleep(0.5)
        for name, process in processes.items():
            peak[name] = max(peak[name], high_water_kib(process.pid))
        polled = db.query("SELECT COUNT(*) FROM articles_feed WHERE last_polled_at IS NOT NULL")[0][0]
        if time.monotonic() - started > 3600:
            raise SystemExit(f"Only {polled} of {feeds} feeds polled after an hour; see {logs}")
    wall = time.monotonic() - started
    for process in processes.values():
        process.terminate()
    for process in processes.values():
        process.wait(timeout=60)
    per_worker = db.shell(
        "import json\nfrom collections import Counter\nfrom django_tasks_db.models import DBTaskResult\n"
        "rows = DBTaskResult.objects.filter(task_path__startswith='articles.feeds.polling.poll_feed', "
        "status='SUCCESSFUL')\ncounts = Counter()\nfor r in rows.only('worker_ids', 'args_kwargs'):\n"
        "    ids = r.args_kwargs['args'][0]\n    counts[r.worker_ids[0]] += len(ids) if isinstance(ids, list) else 1\n"
        "print(json.dumps(counts))"
    )
    articles = db.query("SELECT COUNT(*) FROM articles_article")[0][0]
    tasks = "django_tasks_database_dbtaskresult"
    seconds = db.window(tasks, "started_at", "finished_at", "WHERE task_path LIKE 'articles.feeds.polling.poll_feed%'")
    return {"seconds": seconds, "wall": wall, "peak_kib": peak, "per_worker": per_worker, "articles": articles}


def high_water_kib(pid: int) -> int:
    """The peak resident size of process `pid` so far (VmHWM), in KiB; 0 once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def baseline(db: Scratch, folder: Path) -> tuple[float, int]:
    """`import_articles` on the fresh feeds' documents, in one process; return (seconds, articles created)."""
    db.manage("import_articles", str(folder), "--pattern", "*.xml", "--verbosity", "0")
    seconds = db.window("articles_importbatch", "started_at", "finished_at")
    return seconds, db.query("SELECT COUNT(*) FROM articles_article")[0][0]


def serve(server: FeedServer, feeds: int, fresh: int, items: int, run: str, folder: Path | None) -> None:
    for n in range(feeds):
        if n < fresh:
            body = feed_document(n, items, run)
            server.routes[f"/feed-{n}"] = lambda headers, body=body: Reply(
                200, body, {"Content-Type": "application/rss+xml", "ETag": '"fresh"'}
            )
            if folder is not None:
                (folder / f"feed-{n}.xml").write_bytes(body)
        else:
            server.routes[f"/feed-{n}"] = lambda headers: Reply(304, headers={"ETag": '"same"'})


def run_engine(label: str, postgres: str | None, args, work: Path) -> None:
    print(f"\n== {label} ==")
    run = uuid.uuid4().hex[:6]
    documents = work / f"documents-{label}"
    documents.mkdir()
    server = FeedServer()
    serve(server, args.feeds, args.fresh, args.items, run, documents)
    db = Scratch(work, postgres)
    try:
        subscribe(db, server, args.feeds, args.fresh)
        logs = work / f"logs-{label}"
        logs.mkdir()
        got = cycle(db, logs, args.feeds)
        expected = args.fresh * args.items
        rate = got["articles"] / got["seconds"]
        print(f"cycle of {args.feeds} feeds ({args.fresh} with {args.items} new items, the rest 304): "
              f"{got['seconds']:.1f} s from the first poll's start to the last one's end ({got['wall']:.1f} s with "
              f"the processes' start), {args.feeds / got['seconds']:.1f} polls/s")  # fmt: skip
        print(f"new items stored: {got['articles']} of {expected}, {rate:.1f} items/s end to end")
        print(f"per worker: {got['per_worker']} polls; {args.feeds / got['seconds'] / 2:.1f} polls/s each")
    finally:
        db.drop()
    fresh_db = Scratch(work, postgres)
    try:
        seconds, created = baseline(fresh_db, documents)
        base_rate = created / seconds
        print(f"import_articles on the same {args.fresh} documents: {created} items in {seconds:.1f} s, "
              f"{base_rate:.1f} items/s; the poll cycle stores at {rate / base_rate:.2f}x that rate")  # fmt: skip
    finally:
        fresh_db.drop()
    if args.memory_feeds:
        for count in (args.feeds, args.memory_feeds):
            mem_server = FeedServer()
            serve(mem_server, count, 0, 0, run, None)
            mem_db = Scratch(work, postgres)
            try:
                subscribe(mem_db, mem_server, count, 0)
                mem_logs = work / f"mem-{label}-{count}"
                mem_logs.mkdir()
                got = cycle(mem_db, mem_logs, count)
                peak = ", ".join(f"{name} {kib / 1024:.0f} MiB" for name, kib in got["peak_kib"].items())
                print(f"memory through a cycle of {count} feeds (all 304, {got['seconds']:.1f} s): peak {peak}")
            finally:
                mem_db.drop()
                mem_server.stop()
    server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--fresh", type=int, default=None, help="Feeds with new items (default: a tenth).")
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--memory-feeds", type=int, default=10000, help="0 skips the memory cycles.")
    parser.add_argument("--postgres", default=os.environ.get("NEWSROOM_BENCH_POSTGRES"), help="postgres://host:port")
    args = parser.parse_args()
    args.fresh = args.feeds // 10 if args.fresh is None else args.fresh
    with tempfile.TemporaryDirectory(prefix="feeds-load-") as folder:
        work = Path(folder)
        run_engine("SQLite", None, args, work)
        if args.postgres:
            run_engine("PostgreSQL", args.postgres, args, work)


if __name__ == "__main__":
    main()
