"""List serialization in-process: a page of article summaries built by `ArticleListSerializer`, against DRF's own
field-by-field path over the same declared fields.

    python bench/list_serialization.py [--rows 100] [--repeat 1000] [--rounds 5]

Makes a scratch SQLite database with `--rows` articles (two authors, two topics and three tags each, the relations
loaded as the API loads them), then serializes all of them `--repeat` times per round, as the list view does, and
prints the median per call and per row. No HTTP, no queries in the timed part: only the serializer.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def setup(folder: Path) -> None:
    sys.path.insert(0, str(REPO))
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_rows(count: int) -> list:
    from django.utils import timezone

    from articles.api.relations import attach_relations
    from articles.models import Article, Author, Byline, Source, Topic

    source = Source.objects.create(name="Harbour Times")
    authors = [Author.objects.create(name=name) for name in ("Dana Orlova", "Web Desk")]
    topics = [Topic.objects.create(name=name) for name in ("Trade", "Ports")]
    now = timezone.now()
    for number in range(count):
        article = Article.objects.create(
            title=f"Grain corridor opens, day {number}",
            summary="The first shipment left port on Monday, officials said.",
            body=f"Shipment {number} left port on Monday.\n\nTraders expect volumes to double.",
            source=source,
            status=Article.Status.PUBLISHED,
            published_at=now,
        )
        for position, author in enumerate(authors):
            Byline.objects.create(article=article, author=author, position=position)
        article.topics.set(topics)
        article.tags.add("grain", "ports", "trade")
    rows = list(Article.objects.select_related("source").defer("body", "fingerprint", "external_id"))
    attach_relations(rows)
    return rows


def time_calls(serialize, repeat: int, rounds: int) -> float:
    """Return the median seconds per call over `rounds` rounds of `repeat` calls."""
    results = []
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(repeat):
            serialize()
        results.append((time.perf_counter() - started) / repeat)
    return statistics.median(results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup(Path(folder))
        from rest_framework.request import Request
        from rest_framework.serializers import ModelSerializer
        from rest_framework.test import APIRequestFactory

        from articles.api.serializers import ArticleListSerializer

        rows = make_rows(args.rows)
        request = Request(APIRequestFactory().get("/api/v1/articles/", HTTP_HOST="localhost"))

        def declared():
            return ArticleListSerializer(rows, many=True, context={"request": request}).data

        class GenericPath(ArticleListSerializer):
            """The same declared fields through DRF's own `Serializer.to_representation`."""

            def to_representation(self, instance):
                return ModelSerializer.to_representation(self, instance)

        def generic():
            return GenericPath(rows, many=True, context={"request": request}).data

        assert declared() == generic(), "the serializer's output differs from its declared fields' own"
        fast = time_calls(declared, args.repeat, args.rounds)
        slow = time_calls(generic, max(1, args.repeat // 5), args.rounds)
        print(f"rows {args.rows}, {args.repeat} calls a round, median of {args.rounds} rounds; load {os.getloadavg()}")
        print(f"ArticleListSerializer:           {fast * 1e3:8.3f} ms a call, {fast / args.rows * 1e6:6.2f} µs a row")
        print(f"DRF's path, same fields:         {slow * 1e3:8.3f} ms a call, {slow / args.rows * 1e6:6.2f} µs a row")
        print(f"ratio DRF / ArticleListSerializer: {slow / fast:.2f}x")


if __name__ == "__main__":
    main()
