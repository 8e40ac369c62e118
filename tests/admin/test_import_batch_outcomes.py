"""Import batches show their outcomes as a row of badges, each linking to the batch's records of that outcome."""

import html
import re

import pytest

from articles.ingest import ImportOptions, import_document
from articles.models import ImportBatch, ImportRecord

pytestmark = pytest.mark.django_db

BATCHES = "/admin/articles/importbatch/"


@pytest.fixture
def batch():
    good = (
        b"<item><title>Quay</title><guid>q-1</guid>"
        b"<description>&lt;p&gt;The quay reopened.&lt;/p&gt;</description></item>"
    )
    empty = b"<item><title>Only a title</title><guid>q-2</guid></item>"
    feed = b'<rss version="2.0"><channel><title>Wire</title>' + good + empty + b"</channel></rss>"
    import_document(feed, origin="https://wire.example/feed", options=ImportOptions())
    return ImportBatch.objects.get()


def _links(page: str) -> dict[str, str]:
    return {
        outcome: html.unescape(href)
        for href, outcome in re.findall(r'<a href="([^"]+)" title="The (\w+) records of this import">', page)
    }


def test_the_list_shows_each_outcome_as_a_badge_linking_to_its_records(client, editor, batch):
    client.force_login(editor)
    page = client.get(BATCHES).content.decode()
    assert "{&quot;" not in page and '{"created"' not in page, "no JSON"
    assert re.search(r'outcome-created">Created <b>1</b>', page)
    assert re.search(r'outcome-failed">Failed <b>1</b>', page)
    links = _links(page)
    assert set(links) == {"created", "failed"}
    listed = client.get(links["failed"]).context["cl"].result_list
    assert [record.pk for record in listed] == list(
        ImportRecord.objects.filter(batch=batch, outcome="failed").values_list("pk", flat=True)
    )


def test_the_batch_page_shows_the_badges_too(client, editor, batch):
    client.force_login(editor)
    page = client.get(f"{BATCHES}{batch.pk}/change/").content.decode()
    assert set(_links(page)) == {"created", "failed"}


def test_who_may_not_read_import_records_sees_the_badges_without_links(client, reporter, batch):
    ImportBatch.objects.filter(pk=batch.pk).update(initiated_by=reporter)
    client.force_login(reporter)
    page = client.get(f"{BATCHES}{batch.pk}/change/").content.decode()
    assert 'outcome-created">Created <b>1</b>' in page
    assert _links(page) == {}
