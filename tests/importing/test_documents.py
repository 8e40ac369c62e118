"""Documents of many items (feeds, exports, JSON lines) imported through `import_document`: one piece per item,
each item's own bytes its record's raw text, read again alone the way it was first read."""

import io

import pytest

from articles.ingest import FormatError, ImportOptions, import_document
from articles.ingest.formats import iter_raw_items
from articles.models import Article, ImportBatch, ImportRecord
from tests.ingest.test_formats import FEEDS

pytestmark = pytest.mark.django_db

Outcome = ImportRecord.Outcome


def test_each_item_of_a_feed_becomes_an_article_with_its_own_bytes_as_raw_text():
    data = (FEEDS / "wordpress_rss2.xml").read_bytes()
    report, meta = import_document(data, origin="https://coastalwire.example/feed/", options=ImportOptions())
    items = list(iter_raw_items(data))
    assert meta.format == "rss" and meta.title == "Coastal Wire"
    records = list(ImportRecord.objects.order_by("id"))
    assert [bytes(r.raw) for r in records] == [item.data for item in items]
    assert [r.origin for r in records] == [f"https://coastalwire.example/feed/#item-{n}" for n in range(1, 5)]
    assert {r.raw_format for r in records} == {"rss"}
    assert records[0].raw_context["title"] == "Coastal Wire"
    assert report.total == 4 and report.counts[Outcome.CREATED] == sum(r.article_id is not None for r in records)
    article = Article.objects.get(title="Harbour fees to rise next month")
    assert article.source.name == "The Harbour Gazette", "the footer names the outlet"
    assert "appeared first on" not in article.body and "trackReader" not in article.body
    batch = ImportBatch.objects.get()
    assert batch.origin == "https://coastalwire.example/feed/"
    assert batch.options["extra"] == {"format": "rss"}


def test_a_document_can_be_read_from_a_stream_and_its_format_given():
    data = (FEEDS / "items.jsonl").read_bytes()
    report, meta = import_document(
        io.BytesIO(data), origin="drop/items.jsonl", options=ImportOptions(), fmt="jsonl", batch_extra={"feed": 7}
    )
    assert meta.format == "jsonl"
    assert report.total == len([line for line in data.splitlines() if line.strip()])
    assert ImportBatch.objects.get().options["extra"] == {"format": "jsonl", "feed": 7}
    failed = ImportRecord.objects.filter(outcome=Outcome.FAILED).order_by("id")
    assert failed.exists(), "the fixture's broken lines fail alone"
    assert all(record.error and bytes(record.raw) for record in failed)
    assert Article.objects.filter(title="Tide tables published").exists(), "one bad item never aborts the batch"


def test_the_callers_source_name_overrides_what_the_items_say():
    data = (FEEDS / "wordpress_rss2.xml").read_bytes()
    import_document(data, origin="feed", options=ImportOptions(), source_name="Coastal Wire Desk")
    assert set(Article.objects.values_list("source__name", flat=True)) == {"Coastal Wire Desk"}


def test_a_web_page_is_refused_before_any_batch_is_started():
    with pytest.raises(FormatError, match=r"This is a web page, not a feed\."):
        import_document((FEEDS / "page.html").read_bytes(), origin="page", options=ImportOptions())
    assert not ImportBatch.objects.exists()


def test_pages_and_attachments_of_an_export_are_recorded_as_skipped_not_failed():
    report, meta = import_document((FEEDS / "export.wxr.xml").read_bytes(), origin="x", options=ImportOptions())
    assert meta.format == "wxr"
    skipped = ImportRecord.objects.filter(outcome=Outcome.SKIPPED)
    assert report.counts[Outcome.SKIPPED] == skipped.count() > 0
    assert all(record.warnings and record.article_id is None and not record.error for record in skipped)
    assert report.failed == 0
