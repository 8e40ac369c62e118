"""Load benchmark of the REST API at archive scale.

Builds a fresh database of N generated articles (SQLite in a temporary directory, or the PostgreSQL database
`newsroom_bench`, or the one NEWSROOM_BENCH_DATABASE names, on the server DATABASE_URL names), serves the app with
gunicorn (2 workers, DEBUG off) on a free local port, and drives each endpoint with `wrk` for a bounded time: 3
rounds of 5 s over all endpoints in turn, the median of the rounds reported. The same run measures a minimal Django
view that returns the same 20 rows from `.values()` as JSON: the floor any API on this stack pays. Prints requests/s
and latency percentiles per endpoint, and each endpoint's throughput as a share of the minimal view's.

    .venv/bin/python bench/api_load.py                       # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/api_load.py   # PostgreSQL

Targets: the list at least 50% of the minimal view's requests/s and the detail 65%; search p99 under 50 ms; a deep
page as fast as the first; a page of the change feed at least as fast as a list page, and the public article page at
least as fast as the API detail.
"""

import argparse
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
# The PostgreSQL database the benchmark drops and rebuilds; another name keeps two runs on one server apart.
BENCH_DB = os.environ.get("NEWSROOM_BENCH_DATABASE", "newsroom_bench")
if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", BENCH_DB):
    raise SystemExit(f"NEWSROOM_BENCH_DATABASE must be a plain lower-case database name, not {BENCH_DB!r}.")
COMMON_WORD = "government"
SEED = 20261127


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000, help="How many articles to generate.")
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration per endpoint and round.")
    parser.add_argument("--rounds", type=int, default=3, help="Rounds over all endpoints; medians are reported.")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections.")
    parser.add_argument("--keep", action="store_true", help="Keep the temporary directory (SQLite file, logs).")
    parser.add_argument(
        "--only",
        metavar="NAME",
        help="Measure only the endpoints whose name starts with NAME (e.g. `search`), beside the minimal view.",
    )
    return parser.parse_args()


def bench_database_url() -> str | None:
    """Return DATABASE_URL pointed at the dedicated benchmark database, or None for SQLite."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url or url.startswith("sqlite"):
        return None
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{BENCH_DB}", parts.query, parts.fragment))


def recreate_postgres_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
        autocommit=True,
    ) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {BENCH_DB}")


def server_environment(workdir: Path, database_url: str | None) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.api_settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-only-" + "k" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_HSTS_SECONDS": "0",
        # Throttling stays on (its cost is part of every request) with limits wrk cannot reach.
        "NEWSROOM_API_ANON_RATE": "1000000/second",
        "NEWSROOM_API_USER_RATE": "1000000/second",
        "PYTHONPATH": str(ROOT),
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    return env


# Generation


def vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    onsets = ["b", "k", "d", "st", "m", "n", "p", "r", "s", "t", "v", "z", "gr", "pl", "tr", "sh", "al", "or"]
    vowels = ["a", "e", "i", "o", "u", "ai", "ei", "ou"]
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def generate(count: int) -> dict:
    """Fill the database with `count` articles (95% published) and their sources, authors, topics and tags."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from taggit.models import Tag, TaggedItem

    from articles import changes
    from articles.models import Article, Author, Byline, Source, Topic

    rng = random.Random(SEED)
    words = vocabulary(rng)
    cumulative, total = [], 0.0
    for rank in range(len(words)):
        total += 1 / (rank + 1)  # Zipf-like word frequencies, as in real text
        cumulative.append(total)
    sources = Source.objects.bulk_create(Source(name=f"Outlet {n}", slug=f"outlet-{n}") for n in range(20))
    authors = Author.objects.bulk_create(
        Author(name=f"Writer {n}", name_key=f"writer {n}", slug=f"writer-{n}") for n in range(500)
    )
    roots = Topic.objects.bulk_create(Topic(name=f"Topic {n}", slug=f"topic-{n}") for n in range(6))
    topics = roots + Topic.objects.bulk_create(
        Topic(name=f"Subtopic {n}", slug=f"subtopic-{n}", parent=roots[n % 6]) for n in range(24)
    )
    tags = Tag.objects.bulk_create(Tag(name=f"tag {n}", slug=f"tag-{n}") for n in range(60))
    article_type = ContentType.objects.get_for_model(Article)
    start = datetime(2021, 1, 1, tzinfo=UTC)
    span = (datetime.now(UTC) - timedelta(days=1) - start).total_seconds()
    topic_through = Article.topics.through
    batch_size = 2000
    matching = 0
    began = time.perf_counter()
    for first in range(0, count, batch_size):
        batch = []
        for n in range(first, min(first + batch_size, count)):
            paragraphs = []
            for _ in range(rng.randint(3, 7)):
                paragraph = rng.choices(words, cum_weights=cumulative, k=rng.randint(25, 60))
                paragraphs.append(" ".join(paragraph).capitalize() + ".")
            if rng.random() < 0.25:
                paragraphs[rng.randrange(len(paragraphs))] += f" The {COMMON_WORD} said so."
                matching += 1
            paragraphs.insert(2, "## " + " ".join(rng.choices(words, k=3)).capitalize())
            title = " ".join(rng.choices(words, cum_weights=cumulative, k=rng.randint(4, 9))).capitalize() + f" {n}"
            published = rng.random() < 0.95
            article = Article(
                title=title,
                summary=paragraphs[0][:240],
                body="\n\n".join(paragraphs) + f"\n\nReference {n}.",
                status=Article.Status.PUBLISHED if published else Article.Status.DRAFT,
                published_at=start + timedelta(seconds=span * n / count + rng.random()) if published else None,
                source=sources[n % len(sources)],
                language="en" if rng.random() < 0.9 else "ru",
            )
            article.refresh_derived_fields()
            batch.append(article)
        with transaction.atomic():
            created = Article.objects.bulk_create(batch)
            Byline.objects.bulk_create(
                Byline(article=article, author=author, position=position)
                for article in created
                for position, author in enumerate(rng.sample(authors, rng.randint(1, 3)))
            )
            topic_through.objects.bulk_create(
                topic_through(article=article, topic=topic)
                for article in created
                for topic in rng.sample(topics, rng.randint(1, 2))
            )
            TaggedItem.objects.bulk_create(
                TaggedItem(content_type=article_type, object_id=article.pk, tag=tag)
                for article in created
                for tag in rng.sample(tags, rng.randint(0, 4))
            )
        changes.record(created, created=True)  # the change log, as the importer writes it
        done = min(first + batch_size, count)
        print(f"\r  generated {done:,} articles ({time.perf_counter() - began:.0f} s)", end="", flush=True)
    print()
    while changes.sequence_changes():  # the scheduler's numbering of the change log, done at once
        pass
    with connection.cursor() as cursor:
        # The state autovacuum leaves a loaded table in: statistics, and on PostgreSQL the GIN index's pending
        # list merged (until then every full-text query scans that list).
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {"matching": matching}


def endpoints() -> dict[str, str]:
    """Return the URLs to measure: the same rows in the minimal view and the API, and the deep pages."""
    from articles.api.pagination import ArticlePagination
    from articles.models import Article, ArticleChange

    published = Article.objects.published().order_by("-published_at", "-id")
    detail_id = published.values_list("pk", flat=True)[500]
    page = min(2000, published.count() // 20)
    deep = published.only("pk", "published_at")[(page - 1) * 20 - 1]
    cursor = ArticlePagination()
    cursor.ordering, cursor.last = "-published_at", (deep.published_at, deep.pk)
    public_positions = ArticleChange.objects.exclude(public_position=None).order_by("public_position")
    middle = public_positions.values_list("public_position", flat=True)[public_positions.count() // 2]
    public_page = published.select_related("source")[500].get_absolute_url()  # its own address, not a 301
    return {
        "minimal view (20 rows, .values())": "/bench/minimal/",
        "list, page 1 (20/page)": "/api/v1/articles/",
        "detail": f"/api/v1/articles/{detail_id}/",
        f"search '{COMMON_WORD}'": f"/api/v1/articles/?search={COMMON_WORD}",
        f"search phrase '\"{COMMON_WORD} said\"'": f"/api/v1/articles/?search=%22{COMMON_WORD}+said%22",
        "deep page 2,000 (page number)": f"/api/v1/articles/?page={page}",
        "deep page 2,000 (cursor)": f"/api/v1/articles/?pagination=cursor&cursor={cursor.encode_cursor()}",
        "change feed, 20 events mid-log": f"/api/v1/changes/?after={middle}&limit=20",
        "public article page": public_page,
    }


# Serving and measuring


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(port: int, server: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("gunicorn exited before serving; see its log above.")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    sys.exit("gunicorn did not start serving in time.")


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def run_wrk(url: str, seconds: int, connections: int) -> dict:
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))}
    for percentile in ("50", "99"):
        value, unit = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
        result[f"p{percentile}"] = float(value) * UNITS[unit]
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    result["errors"] = int(errors.group(1)) if errors else 0
    return result


class RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """Leave a redirect unfollowed, so that it fails the check that each endpoint answers 200 itself."""

    def redirect_request(self, *args, **kwargs):
        return None


def measure(base: str, urls: dict[str, str], seconds: int, connections: int, rounds: int) -> dict[str, dict]:
    """Drive every endpoint `rounds` times, taking turns, and keep each figure's median over the rounds.

    Taking turns spreads a passing disturbance on a small shared machine over all endpoints instead of letting
    it land on whichever endpoint was being measured at the time.
    """
    sizes = {}
    opener = urllib.request.build_opener(RefuseRedirects)
    for name, path in urls.items():
        try:
            with opener.open(base + path, timeout=30) as response:  # a redirect raises: wrk would time it
                sizes[name] = len(response.read())
        except urllib.error.HTTPError as error:
            raise SystemExit(f"{name} ({path}) answered {error.code}, not 200: it cannot be measured.") from error
        run_wrk(base + path, 1, connections)  # warm caches and connections
    runs = {name: [] for name in urls}
    for round_number in range(1, rounds + 1):
        for name, path in urls.items():
            run = run_wrk(base + path, seconds, connections)
            runs[name].append(run)
            print(
                f"  round {round_number}  {name:38} {run['rps']:6.0f} req/s   p50 {run['p50']:6.1f} ms   "
                f"p99 {run['p99']:6.1f} ms"
            )
    return {
        name: {
            **{key: statistics.median(run[key] for run in measured) for key in ("rps", "p50", "p99")},
            "errors": sum(run["errors"] for run in measured),
            "bytes": sizes[name],
        }
        for name, measured in runs.items()
    }


def report(results: dict[str, dict], database: str, count: int, matching: int) -> None:
    floor = results["minimal view (20 rows, .values())"]["rps"]
    print(
        f"\n{database}, {count:,} articles ('{COMMON_WORD}' in {matching:,} of them), gunicorn 2 workers, "
        "medians of the rounds"
    )
    print(f"{'endpoint':40} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'vs minimal':>11} {'bytes':>8} {'errors':>7}")
    for name, row in results.items():
        print(
            f"{name:40} {row['rps']:8.0f} {row['p50']:8.1f} {row['p99']:8.1f} "
            f"{row['rps'] / floor:10.0%} {row['bytes']:8} {row['errors']:7}"
        )
    search = next((row for name, row in results.items() if name.startswith("search")), None)
    first_page = results.get("list, page 1 (20/page)")
    detail, deep = results.get("detail"), results.get("deep page 2,000 (page number)")
    cursor = results.get("deep page 2,000 (cursor)")
    change_feed, page = results.get("change feed, 20 events mid-log"), results.get("public article page")
    print("\nTargets:")
    for label, measured, ok in [
        ("list >= 50% of minimal", first_page, lambda: first_page["rps"] >= 0.5 * floor),
        ("detail >= 65% of minimal", detail, lambda: detail["rps"] >= 0.65 * floor),
        (
            "change feed page at least as fast as a list page",
            change_feed and first_page,
            lambda: change_feed["rps"] >= first_page["rps"],
        ),
        ("public page at least as fast as the API detail", page and detail, lambda: page["rps"] >= detail["rps"]),
        ("search p99 < 50 ms", search, lambda: search["p99"] < 50),
        (
            "deep page (page number) within 20% of page 1",
            deep and first_page,
            lambda: deep["rps"] >= 0.8 * first_page["rps"],
        ),
        (
            "deep page (cursor) within 20% of page 1",
            cursor and first_page,
            lambda: cursor["rps"] >= 0.8 * first_page["rps"],
        ),
    ]:
        if measured:  # `--only` measures some endpoints
            print(f"  {'met   ' if ok() else 'MISSED'} {label}")


def main() -> None:
    args = parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-api-bench-"))
    database_url = bench_database_url()
    env = server_environment(workdir, database_url)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    if database_url:
        recreate_postgres_database(database_url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    database = "PostgreSQL" if database_url else "SQLite"
    print(f"Building the {database} benchmark database in {workdir if not database_url else BENCH_DB} ...")
    call_command("migrate", verbosity=0)
    stats = generate(args.articles)
    urls = endpoints()
    if args.only:
        urls = {name: url for name, url in urls.items() if name.startswith(("minimal view", args.only))}
    connection.close()

    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "newsroom.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_until_serving(port, server)
        print(
            f"Measuring with wrk: {args.rounds} rounds, {args.seconds} s per endpoint each, "
            f"{args.connections} connections:"
        )
        results = measure(f"http://127.0.0.1:{port}", urls, args.seconds, args.connections, args.rounds)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    report(results, database, args.articles, stats["matching"])


if __name__ == "__main__":
    main()
