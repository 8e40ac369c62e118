"""A change that commits after a later one is still read, after it: the cursor never passes over it."""

import datetime
import threading

import pytest
from django.db import connection, connections, transaction
from rest_framework.test import APIClient

from articles.models import Article, Source
from tests.changes.conftest import URL

EARLIER = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite lets one writer at a time: no late commit")
@pytest.mark.django_db(transaction=True)
def test_a_change_committed_late_comes_after_the_ones_read_before_it():
    source = Source.objects.create(name="The Frontier Post")
    wrote, release = threading.Event(), threading.Event()

    def slow_writer():
        try:
            with transaction.atomic():
                Article.objects.create(
                    title="Slow",
                    source=source,
                    body="Slow text.",
                    status="published",
                    published_at=EARLIER,
                )
                wrote.set()
                release.wait(30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert wrote.wait(30)
    fast = Article.objects.create(
        title="Fast", source=source, body="Fast text.", status="published", published_at=EARLIER
    )
    first = APIClient().get(URL).json()
    assert [event["article_id"] for event in first["results"]] == [fast.pk]
    release.set()
    thread.join(30)
    slow = Article.objects.get(title="Slow")
    assert slow.pk < fast.pk  # its id came first, its commit last: it is read next all the same
    second = APIClient().get(URL, {"after": first["cursor"]}).json()
    assert [(event["cursor"], event["article_id"]) for event in second["results"]] == [(2, slow.pk)]
