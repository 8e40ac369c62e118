"""How fast the editorial admin answers with 100,000 articles loaded.

Loads generated articles (with sources, bylines, topics, import records, stories of one to six copies and pending
"possibly the same story" candidates) into a fresh SQLite file under a temp directory, or into the PostgreSQL
database `newsroom_bench_admin` (or the one NEWSROOM_BENCH_DATABASE names) on the server `--postgres URL` (or
DATABASE_URL) names, all with bulk_create, and a year of daily import tallies; then times pages through Django's
test client as a logged-in superuser: the dashboard (the admin's home page, stories and candidates included), the
article list with its status and filter counts, a search, filters, the articles of one story, a story's page (its
copies side by side, each diffed against the lead), the story list and queue, and the change form. Prints the median
and 95th percentile of several runs in milliseconds and the number of queries of each page.

    .venv/bin/python bench/admin_speed.py [--articles 100000] [--runs 21] [--keep] [--postgres URL]

Targets (issues 5 and 17): the dashboard, the list and a search under 300 ms and at most 15 queries, whatever the
number of articles.
"""

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DB = os.environ.get("NEWSROOM_BENCH_DATABASE", "newsroom_bench_admin")
if not re.fullmatch(r"[a-z_][a-z0-9_]*", BENCH_DB):
    raise SystemExit(f"NEWSROOM_BENCH_DATABASE must be a plain lower-case database name, not {BENCH_DB!r}.")
TARGET_MS, TARGET_QUERIES = 300, 15


def configure_database(keep: bool, postgres: str | None = None) -> str:
    """Point DATABASE_URL at the benchmark's own database and return a description of it."""
    url = (postgres or os.environ.get("DATABASE_URL", "")).strip()
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + BENCH_DB))
        create_postgres_database(parts)
        return f"PostgreSQL ({BENCH_DB})"
    folder = Path(tempfile.mkdtemp(prefix="newsroom-bench-admin-")) if not keep else Path(tempfile.gettempdir())
    path = folder / "newsroom_bench_admin.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    return f"SQLite ({path})"


def create_postgres_database(parts):
    import psycopg

    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')


def generate(total: int, seed: int = 20261127) -> None:
    """Bulk-load `total` articles with 2,000 sources, 5,000 authors, 120 topics and import records."""
    from django.db import transaction
    from django.utils import timezone
    from wordfreq import top_n_list

    from articles.models import Article, Author, Byline, ImportBatch, ImportRecord, Source, Topic
    from articles.stories.models import Story

    rng = random.Random(seed)
    words = [w for w in top_n_list("en", 6000) if w.isalpha() and len(w) > 2]
    now = timezone.now()
    with transaction.atomic():
        sources = Source.objects.bulk_create(
            [Source(name=f"Outlet {n}", slug=f"outlet-{n}") for n in range(2000)], batch_size=1000
        )
        authors = Author.objects.bulk_create(
            [Author(name=f"Writer {n}", name_key=f"writer {n}", slug=f"writer-{n}") for n in range(5000)],
            batch_size=1000,
        )
        roots = Topic.objects.bulk_create([Topic(name=f"Area {n}", slug=f"area-{n}") for n in range(20)])
        topics = roots + Topic.objects.bulk_create(
            [Topic(name=f"Subject {n}", slug=f"subject-{n}", parent=roots[n % 20]) for n in range(100)]
        )
        batch = ImportBatch.objects.create(channel="python")
    done = 0
    open_stories = []  # stories recent enough for a copy to join (a copy joins one of the last few hundred)
    while done < total:
        size = min(5000, max(100, total // 20), total - done)
        with transaction.atomic():
            # About one article in four is a copy of an earlier one from another outlet: stories of one to six.
            joins = [bool(open_stories) and rng.random() < 0.25 for _ in range(size)]
            fresh = Story.objects.bulk_create(
                [Story(size=1, created_at=now) for joined in joins if not joined], batch_size=1000
            )
            fresh_ids = iter(story.pk for story in fresh)
            rows = []
            for n, joined in zip(range(done, done + size), joins, strict=True):
                body = "\n\n".join(" ".join(rng.choices(words, k=40)) for _ in range(3)) + f" ref{n}"
                status = rng.choices(["published", "draft", "review", "archived"], [70, 15, 10, 5])[0]
                article = Article(
                    title=" ".join(rng.choices(words, k=7)).capitalize(),
                    slug=f"piece-{n}",
                    summary=body[:200],
                    body=body,
                    status=status,
                    published_at=now - timezone.timedelta(minutes=rng.randrange(5 * 365 * 24 * 60))
                    if status == "published" or rng.random() < 0.3
                    else None,
                    source=rng.choice(sources),
                    language=rng.choices(["en", "ru", "kk", "de"], [85, 8, 4, 3])[0],
                    story_id=rng.choice(open_stories[-500:]) if joined else next(fresh_ids),
                )
                article.refresh_derived_fields()
                rows.append(article)
            open_stories.extend(story.pk for story in fresh)
            del open_stories[:-2000]
            created = Article.objects.bulk_create(rows, batch_size=1000)
            Byline.objects.bulk_create(
                [
                    Byline(article=article, author=author, position=position)
                    for article in created
                    for position, author in enumerate(rng.sample(authors, rng.choice([1, 1, 2, 3])))
                ],
                batch_size=2000,
            )
            through = Article.topics.through
            through.objects.bulk_create(
                [
                    through(article_id=article.pk, topic_id=topic.pk)
                    for article in created
                    for topic in rng.sample(topics, rng.choice([0, 1, 2]))
                ],
                batch_size=2000,
            )
            ImportRecord.objects.bulk_create(
                [
                    ImportRecord(
                        batch=batch,
                        article=article,
                        origin=f"bench/{article.pk}.txt",
                        raw=article.body.encode(),
                        raw_sha256=f"{article.pk:064d}",
                        raw_size=len(article.body),
                        encoding="utf-8",
                        outcome="created",
                        warnings=["A hyphen was left alone"] if rng.random() < 0.05 else [],
                    )
                    for article in created
                    if rng.random() < 0.3
                ],
                batch_size=1000,
            )
        done += size
        print(f"  loaded {done:,} articles", file=sys.stderr)
    generate_stories(rng)
    generate_tallies(total, sources, rng)


def generate_stories(rng: random.Random, candidates: int = 400) -> None:
    """Give the stories their size, lead and dates from their articles (one UPDATE), and queue `candidates`
    pending "possibly the same story" matches."""
    from django.db.models import Count, Max, Min, OuterRef, Subquery
    from django.utils import timezone

    from articles.models import Article
    from articles.stories.models import Story, StoryCandidate

    members = Article.objects.filter(story_id=OuterRef("pk")).order_by().values("story_id")
    Story.objects.update(
        size=Subquery(members.annotate(n=Count("pk")).values("n")),
        lead_id=Subquery(members.annotate(first=Min("pk")).values("first")),
        first_seen=Subquery(members.annotate(first=Min("published_at")).values("first")),
        last_seen=Subquery(members.annotate(last=Max("published_at")).values("last")),
    )
    pairs = list(Article.objects.order_by("?").values_list("pk", "story_id")[: candidates * 2])
    now = timezone.now()
    StoryCandidate.objects.bulk_create(
        [
            StoryCandidate(
                article_id=article,
                match_id=match,
                story_id=story,
                jaccard=round(rng.uniform(0.3, 0.5), 4),
                containment=round(rng.uniform(0.5, 0.8), 4),
                created_at=now,
            )
            for (article, _), (match, story) in zip(pairs[::2], pairs[1::2], strict=False)
            if article != match
        ],
        ignore_conflicts=True,
    )
    print(f"  {Story.objects.count():,} stories, {StoryCandidate.objects.count():,} candidates", file=sys.stderr)


REPAIR_RULES = ["broken-word", "mojibake", "smart-quotes", "whitespace", "stray-hyphen", "html-entity", "footer"]


def generate_tallies(total: int, sources, rng: random.Random, feeds: int = 60) -> None:
    """Bulk-load the dashboard's daily tallies of a year of imports: `total` pieces in spread over 365 days (every
    article once, plus re-imports), through 60 feeds and the rest by hand, as `articles.ingest.tally` keeps them."""
    from django.utils import timezone

    from articles.ingest.tally import add_counts
    from articles.models import ImportTally

    today = timezone.localdate()
    counts = Counter()
    outcomes = ["created", "updated", "unchanged", "duplicate", "failed"]
    for _ in range(int(total * 1.5)):
        day = today - timezone.timedelta(days=rng.randrange(365))
        key = (day, rng.choice(sources).pk, rng.choice([0, *range(1, feeds + 1)]))
        outcome = rng.choices(outcomes, [60, 10, 20, 5, 5])[0]
        counts[(*key, outcome)] += 1
        if outcome == "created" and rng.random() < 0.25:
            counts[(*key, "joined")] += 1
        if outcome != "failed" and rng.random() < 0.16:
            counts[(*key, "warned")] += 1
        for rule in rng.sample(REPAIR_RULES, rng.choice([0, 0, 1, 2])):
            counts[(*key, f"repair:{rule}")] += 1
    ImportTally.objects.bulk_create(
        [
            ImportTally(day=day, source_pk=source_pk, feed_pk=feed_pk, measure=measure, count=number)
            for (day, source_pk, feed_pk, measure), number in counts.items()
        ],
        batch_size=5000,
    )
    add_counts(Counter({(today, sources[0].pk, 0, "created"): 1}))  # the path a finishing run takes
    print(f"  loaded {len(counts):,} daily tallies", file=sys.stderr)


def time_page(client, url: str, runs: int) -> tuple[float, float, int]:
    """Return the median and 95th percentile of `runs` timed requests of `url`, in ms, and its query count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches (templates, the database's own)
    timings = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    p95 = statistics.quantiles(timings, n=20, method="inclusive")[-1] if len(timings) > 1 else timings[0]
    return statistics.median(timings), p95, len(queries.captured_queries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000, help="how many articles to load (default 100,000)")
    parser.add_argument("--runs", type=int, default=21, help="timed runs per page (median and 95th percentile)")
    parser.add_argument("--keep", action="store_true", help="reuse the database of an earlier run when it is full")
    parser.add_argument(
        "--postgres", metavar="URL", help="a PostgreSQL server (postgres://user@host:port/any) instead of SQLite"
    )
    args = parser.parse_args()

    where = configure_database(args.keep, args.postgres)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret")
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from articles.models import Article, Source
    from articles.stories.models import Story

    settings.STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    setup_test_environment()
    call_command("migrate", verbosity=0)
    if Article.objects.count() < args.articles:
        if Article.objects.exists():
            print("The benchmark database holds a partial load; drop it and run again.", file=sys.stderr)
            return 1
        print(f"Loading {args.articles:,} articles into {where} ...", file=sys.stderr)
        started = time.perf_counter()
        generate(args.articles)
        print(f"  in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        # What a production database has after a bulk load (autovacuum, or `PRAGMA optimize` on SQLite): the
        # planner's statistics, without which SQLite takes every equality on an index for a selective one.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    user = User.objects.filter(username="bench").first() or User.objects.create_superuser("bench", password=None)
    client = Client()
    client.force_login(user)

    article = Article.objects.filter(status="published").order_by("-pk").first()
    source = Source.objects.get(name="Outlet 7")
    rare_word = article.body.split()[3]
    sample = Article.objects.order_by("pk").values_list("body", flat=True)[:200]
    frequent_word = Counter(word for body in sample for word in set(body.split())).most_common(1)[0][0]
    matches = Article.objects.search(frequent_word, ranked=False).count()
    story = Story.objects.order_by("-size", "pk").first()
    last_page = min(20, (args.articles + 49) // 50)
    pages = [
        ("dashboard (admin home page)", "/admin/", True),
        ("article list (status and filter counts)", "/admin/articles/article/", True),
        (f"list, page {last_page}", f"/admin/articles/article/?p={last_page}", True),
        (f"search, a word of one body ({rare_word!r})", f"/admin/articles/article/?q={rare_word}", True),
        (
            f"search, a frequent word ({frequent_word!r}, {matches:,} matches)",
            f"/admin/articles/article/?q={frequent_word}",
            True,
        ),
        ("search, an exact article (ref id)", f"/admin/articles/article/?q=ref{article.pk - 1}", True),
        ("filter: published", "/admin/articles/article/?status__exact=published", True),
        ("filter: one source", f"/admin/articles/article/?source={source.pk}", True),
        ("filter: with import warnings", "/admin/articles/article/?warnings=yes", True),
        (f"one story's articles ({story.size} copies)", f"/admin/articles/article/?story__id__exact={story.pk}", True),
        (f"a story's page ({story.size} copies side by side)", f"/admin/articles/story/{story.pk}/change/", True),
        ('the "possibly the same story" queue', "/admin/articles/storycandidate/", True),
        ("the story list", "/admin/articles/story/", True),
        ("date hierarchy: one year", "/admin/articles/article/?published_at__year=2025", True),
        ("change form", f"/admin/articles/article/{article.pk}/change/", False),
        ("author list (with counts)", "/admin/articles/author/", False),
        ("source list (with counts)", "/admin/articles/source/", False),
    ]
    print(f"\nnewsroom admin, {Article.objects.count():,} articles, {where}")
    print(f"{'page':52} {'median ms':>10} {'p95 ms':>8} {'queries':>8}  target")
    failed = False
    for label, url, targeted in pages:
        ms, p95, queries = time_page(client, url, args.runs)
        verdict = ""
        if targeted:
            ok = ms < TARGET_MS and queries <= TARGET_QUERIES
            failed |= not ok
            verdict = "ok" if ok else f"MISSED (< {TARGET_MS} ms, <= {TARGET_QUERIES} queries)"
        print(f"{label:52} {ms:10.1f} {p95:8.1f} {queries:8d}  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
