"""What the concurrent test runs in separate processes: writers changing articles at random, and a partner
following the change feed while they write (`manage.py shell -c "from tests.changes.partner import ..."`)."""

import json
import random
import time
from pathlib import Path

from django.db import transaction
from django.test import Client
from django.utils import timezone

from articles import workflow
from articles.models import Article, Source


def write_at_random(seed: int, operations: int) -> None:
    """Make `operations` random changes, each in its own transaction, some held open a moment after the write so
    that transactions commit out of the order they wrote in."""
    rng = random.Random(seed)
    source, _ = Source.objects.get_or_create(name="The Frontier Post")
    for number in range(operations):
        with transaction.atomic():
            ids = list(Article.objects.values_list("pk", flat=True)[:200])
            article = Article.objects.select_for_update().filter(pk=rng.choice(ids)).first() if ids else None
            operation = rng.choice(["create", "create", "edit", "publish", "unpublish", "delete"])
            if operation == "create" or article is None:
                Article.objects.create(
                    title=f"Piece {seed}-{number}",
                    source=source,
                    body=f"Text {seed}-{number}.",
                    status=rng.choice([Article.Status.DRAFT, Article.Status.PUBLISHED]),
                    published_at=timezone.now() - timezone.timedelta(minutes=1),
                )
            elif operation == "edit":
                article.title = f"Edited {seed}-{number}"
                article.save()
            elif operation == "publish":
                workflow.publish([article], at=timezone.now() - timezone.timedelta(minutes=1))
            elif operation == "unpublish":
                workflow.unpublish([article])
            else:
                article.delete()
            if rng.random() < 0.3:
                time.sleep(rng.uniform(0.005, 0.05))
    print(json.dumps({"done": operations}))


def follow_until(stop_file: str) -> None:
    """Follow the feed anonymously until `stop_file` exists, then once more; print whether the mirror equals the
    published archive and whether any cursor was skipped or repeated."""
    client, cursor, mirror, gaps, pages = Client(SERVER_NAME="localhost"), 0, {}, 0, 0
    while True:
        last_round = Path(stop_file).exists()
        while True:
            page = client.get("/api/v1/changes/", {"after": cursor, "limit": 50}).json()
            pages += 1
            for event in page["results"]:
                gaps += event["cursor"] != cursor + 1
                cursor = event["cursor"]
                if event["tombstone"]:
                    mirror.pop(event["article_id"], None)
                else:
                    mirror[event["article_id"]] = event["article"]["revision"]
            if not page["has_more"]:
                break
        if last_round:
            break
        time.sleep(0.02)
    archive = dict(Article.objects.published().values_list("pk", "revision"))
    print(json.dumps({"equal": mirror == archive, "gaps": gaps, "articles": len(archive), "pages": pages}))
