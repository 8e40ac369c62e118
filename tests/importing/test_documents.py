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


def test_pages_and_attachments_of_an_export_are_recorded_as_ignored_not_failed():
    report, meta = import_document((FEEDS / "export.wxr.xml").read_bytes(), origin="x", options=ImportOptions())
    assert meta.format == "wxr"
    ignored = ImportRecord.objects.filter(outcome=Outcome.IGNORED)
    assert report.counts[Outcome.IGNORED] == ignored.count() > 0
    assert all(record.warnings and record.article_id is None and not record.error for record in ignored)
    assert report.failed == 0


# Identity: the guid (or the link) -------------------------------------------------------------------------------


def _rss(*items: str, title: str = "Harbour Wire") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>{title}</title>\n'
        + "\n".join(items)
        + "\n</channel></rss>\n"
    ).encode()


def _item(guid: str | None, title: str, body: str, *, tags=(), date="Tue, 14 May 2024 08:30:00 +0000", link=None):
    parts = [f"<title>{title}</title>"]
    if link:
        parts.append(f"<link>{link}</link>")
    if guid:
        parts.append(f'<guid isPermaLink="false">{guid}</guid>')
    parts += [f"<category>{tag}</category>" for tag in tags]
    if date:
        parts.append(f"<pubDate>{date}</pubDate>")
    parts.append(f"<description><![CDATA[{body}]]></description>")
    return "<item>" + "".join(parts) + "</item>"


FIRST = _item(
    "wire-1", "Quay reopens", "<p>The north quay reopened on Monday after repairs.</p>", tags=["Port", "Works"]
)
SECOND = _item("wire-2", "Ferry timetable", "<p>The winter ferry timetable starts on Sunday for all routes.</p>")


def _import(data: bytes, **options):
    report, _ = import_document(data, origin="https://wire.example/feed", options=ImportOptions(**options))
    return report.summary()


def test_an_item_is_stored_with_its_guid_link_tags_language_and_date():
    item = _item(
        "wire-9",
        "Dredging starts",
        "<p>Dredging of the channel starts next week.</p>",
        tags=["Port", "port", "Dredging"],
        link="https://wire.example/dredging",
    )
    data = _rss(item).replace(b"<title>Harbour Wire</title>", b"<title>Harbour Wire</title><language>pt-BR</language>")
    assert _import(data)["created"] == 1
    article = Article.objects.get()
    assert article.external_id == "wire-9" and article.link == "https://wire.example/dredging"
    assert sorted(article.tags.names()) == ["Dredging", "Port"], "categories become tags, each once"
    assert article.language == "pt-br"
    assert article.published_at.isoformat() == "2024-05-14T08:30:00+00:00"


def test_polling_the_same_feed_twice_stores_nothing_new():
    data = _rss(FIRST, SECOND)
    assert _import(data)["created"] == 2
    state = list(Article.objects.values_list("id", "revision", "updated_at").order_by("id"))
    assert _import(data) == {outcome: 2 if outcome == "unchanged" else 0 for outcome in Outcome.values}
    assert list(Article.objects.values_list("id", "revision", "updated_at").order_by("id")) == state
    assert sorted(Article.objects.get(external_id="wire-1").tags.names()) == ["Port", "Works"]


def test_an_edited_item_updates_its_article_and_its_tags():
    _import(_rss(FIRST))
    edited = _item(
        "wire-1", "Quay reopens early", "<p>The north quay reopened on Sunday, a day early.</p>", tags=["Port"]
    )
    summary = _import(_rss(edited))
    assert summary["updated"] == 1 and summary["created"] == 0
    article = Article.objects.get()
    assert article.title == "Quay reopens early" and "a day early" in article.body
    assert list(article.tags.names()) == ["Port"]
    assert article.revision == 2


def test_only_a_changed_category_is_an_edit_too():
    _import(_rss(FIRST))
    assert _import(_rss(FIRST.replace("<category>Works</category>", "")))["updated"] == 1
    assert list(Article.objects.get().tags.names()) == ["Port"]


def test_an_edited_item_whose_article_an_editor_changed_is_a_conflict(django_user_model):
    _import(_rss(FIRST))
    article = Article.objects.get()
    article.body = "An editor rewrote this."
    article.save()
    edited = _item("wire-1", "Quay reopens", "<p>The north quay reopened on Monday after long repairs.</p>")
    assert _import(_rss(edited))["conflict"] == 1
    assert Article.objects.get().body == "An editor rewrote this."


def test_two_items_with_the_same_title_but_other_guids_are_two_articles():
    other = _item("wire-7", "Quay reopens", "<p>The south quay reopened too, a week later than the north.</p>")
    assert _import(_rss(FIRST, other))["created"] == 2
    assert Article.objects.values("slug").distinct().count() == 2
    assert _import(_rss(FIRST, other))["unchanged"] == 2


def test_a_guid_repeated_inside_one_document_is_stored_once_with_a_warning():
    again = _item("wire-1", "Quay reopens", "<p>Another text under the same guid, which is not applied.</p>")
    summary = _import(_rss(FIRST, SECOND, FIRST, again), batch_size=2)
    assert summary["created"] == 2 and summary["unchanged"] == 1 and summary["duplicate"] == 1
    assert Article.objects.filter(external_id="wire-1").count() == 1
    assert "after repairs" in Article.objects.get(external_id="wire-1").body, "the first occurrence is kept"
    repeats = ImportRecord.objects.filter(
        origin__in=["https://wire.example/feed#item-3", "https://wire.example/feed#item-4"]
    )
    for record in repeats:
        assert any("was already used by https://wire.example/feed#item-1" in w for w in record.warnings), (
            record.warnings
        )


def test_an_item_without_a_guid_is_known_by_its_link_and_one_without_either_by_its_title():
    by_link = _item(None, "Lock gates", "<p>The lock gates will be replaced.</p>", link="https://wire.example/locks")
    bare = _item(None, "Pilot boats", "<p>Two new pilot boats arrived.</p>", date=None)
    assert _import(_rss(by_link, bare))["created"] == 2
    assert Article.objects.get(title="Lock gates").external_id == "https://wire.example/locks"
    assert Article.objects.get(title="Pilot boats").external_id == ""
    assert _import(_rss(by_link, bare))["unchanged"] == 2


@pytest.mark.parametrize(
    ("item", "outcome", "reason"),
    [
        (_item("t-1", "", "<p>A body with no title says what it is about in its first sentence.</p>"), "created", None),
        (_item("t-2", "Only a title", ""), "failed", "has a title but no body text"),
    ],
    ids=["no title", "no body"],
)
def test_items_with_no_title_or_no_body(item, outcome, reason):
    _import(_rss(item, SECOND))
    record = ImportRecord.objects.order_by("id").first()
    assert record.outcome == outcome
    if reason:
        assert reason in record.error and record.failure_kind == "no_body"
    else:
        assert record.article.title.startswith("A body with no title")
    assert Article.objects.filter(external_id="wire-2").exists(), "the other item is stored"


def test_an_item_over_the_byte_limit_fails_alone_with_its_bytes_kept():
    big = _item("big-1", "Long report", "<p>" + "word " * 5000 + "</p>")
    _import(_rss(big, SECOND), max_bytes=10_000)
    record = ImportRecord.objects.get(origin="https://wire.example/feed#item-1")
    assert record.outcome == "failed" and "The item is" in record.error and "over the import limit" in record.error
    assert record.failure_kind == "too_large" and bytes(record.raw).startswith(b"<item><title>Long report")
    assert Article.objects.filter(external_id="wire-2").exists()


def test_an_empty_feed_imports_nothing_and_finishes_its_batch():
    report, meta = import_document((FEEDS / "empty.xml").read_bytes(), origin="empty", options=ImportOptions())
    assert report.total == 0 and meta.items == 0
    assert ImportBatch.objects.get().status == ImportBatch.Status.FINISHED


def test_uploaded_files_that_are_documents_are_imported_item_by_item(tmp_path):
    from articles.ingest import PieceFile, import_files

    on_disk = tmp_path / "upload-tmp"
    on_disk.write_bytes((FEEDS / "jsonfeed.json").read_bytes())
    report = import_files(
        [("wire.xml", _rss(FIRST, SECOND)), PieceFile(str(on_disk), "admin upload: feed.json")], ImportOptions()
    )
    origins = [result.origin for result in report.results]
    assert origins[:2] == ["wire.xml#item-1", "wire.xml#item-2"]
    assert origins[2:] == [f"admin upload: feed.json#item-{n}" for n in range(1, len(origins) - 1)]
    assert report.counts["created"] == len(origins)


def test_a_reporter_repolling_an_item_with_only_a_new_date_leaves_the_published_article_as_it_is(reporter, editor):
    from articles.ingest.plan import PUBLICATION_TIME_KEPT

    _import(_rss(FIRST), status="published")
    article = Article.objects.get()
    moved = FIRST.replace("Tue, 14 May 2024 08:30:00 +0000", "Wed, 01 Jan 2031 09:00:00 +0000")
    for _ in range(2):
        report, _meta = import_document(
            _rss(moved), origin="https://wire.example/feed", options=ImportOptions(user=reporter), keep_results=True
        )
        [result] = report.results
        assert result.outcome == "unchanged" and PUBLICATION_TIME_KEPT in result.warnings
    article.refresh_from_db()
    assert article.published_at.year == 2024 and article.revision == 1
    report, _meta = import_document(
        _rss(moved), origin="https://wire.example/feed", options=ImportOptions(user=editor), keep_results=True
    )
    assert report.results[0].outcome == "updated"
    article.refresh_from_db()
    assert article.published_at.year == 2031
