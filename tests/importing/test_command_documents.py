"""`import_articles` reads documents by their content: a feed, an export or JSON lines is split into its items,
each a piece with the same outcomes and records as a text piece; a web page fails with a clear reason."""

import io
import shutil
import sys

import pytest

from articles.ingest import ImportOptions, import_document
from articles.ingest.formats import iter_raw_items, read_item
from articles.models import Article, ImportRecord
from tests.importing.conftest import piece_text
from tests.ingest.test_formats import FEEDS, ITEM_DOCUMENTS

pytestmark = pytest.mark.django_db


def _expected_outcomes(path) -> list[str]:
    """The outcome each item should have, from the readers alone (the tests of tests/ingest check those)."""
    outcomes = []
    for raw in iter_raw_items(path.read_bytes()):
        try:
            read_item(raw)
        except Exception as error:
            outcomes.append("ignored" if type(error).__name__ == "ItemSkipped" else "failed")
        else:
            outcomes.append("ok")
    return outcomes


@pytest.mark.parametrize(("name", "fmt"), ITEM_DOCUMENTS)
def test_each_fixture_format_imports_item_by_item_through_the_command(name, fmt, tmp_path, run_import):
    path = tmp_path / name.replace(".", "-")  # no telling extension: the content decides
    shutil.copy(FEEDS / name, path)
    out, _error = run_import(path, "--verbosity", "2")
    records = list(ImportRecord.objects.order_by("id"))
    expected = _expected_outcomes(path)
    assert len(records) == len(expected) > 0
    assert [r.origin for r in records] == [f"{path}#item-{n}" for n in range(1, len(expected) + 1)]
    assert {r.raw_format for r in records} == {fmt}
    for record, wanted in zip(records, expected, strict=True):
        if wanted == "ok":
            assert record.outcome in {"created", "unchanged", "duplicate", "failed"}, record.origin
            if record.outcome == "failed":
                assert "no body text" in record.error or "limit" in record.error, record.error
        else:
            assert record.outcome == wanted, (record.origin, record.error)
    assert Article.objects.count() == sum(r.outcome == "created" for r in records)

    out, _error = run_import(path, "--verbosity", "2")
    again = ImportRecord.objects.order_by("id")[len(records) :]
    stored = [r.outcome for r in records]
    assert [r.outcome for r in again] == ["unchanged" if outcome == "created" else outcome for outcome in stored], (
        "importing the same document again stores nothing new"
    )


@pytest.mark.parametrize(("name", "fmt"), ITEM_DOCUMENTS)
def test_the_command_and_import_document_give_the_same_articles_and_records(name, fmt, tmp_path, run_import):
    path = tmp_path / "feed"
    shutil.copy(FEEDS / name, path)
    fields = ["title", "body", "summary", "external_id", "link", "language", "source__name", "published_at"]
    run_import(path)
    by_command = list(Article.objects.values_list(*fields).order_by("title", "external_id"))
    records = list(ImportRecord.objects.order_by("id").values_list("origin", "outcome", "raw", "raw_format"))
    Article.objects.all().delete()
    ImportRecord.objects.all().delete()
    report, meta = import_document(path.read_bytes(), origin=str(path), options=ImportOptions())
    assert meta.format == fmt
    assert list(Article.objects.values_list(*fields).order_by("title", "external_id")) == by_command
    again = list(ImportRecord.objects.order_by("id").values_list("origin", "outcome", "raw", "raw_format"))
    assert [(o, out, bytes(raw), f) for o, out, raw, f in again] == [
        (o, out, bytes(raw), f) for o, out, raw, f in records
    ]
    assert report.total == len(records)


def test_a_web_page_fails_with_a_clear_reason_and_its_bytes_kept(tmp_path, run_import):
    path = tmp_path / "news.xml"
    shutil.copy(FEEDS / "page.html", path)
    _out, error = run_import(path)
    record = ImportRecord.objects.get()
    assert record.outcome == "failed" and record.error.startswith("This is a web page, not a feed.")
    assert record.failure_kind == "not_a_feed" and bytes(record.raw) == (FEEDS / "page.html").read_bytes()
    assert "1 of 1 pieces failed" in error


def test_markup_of_no_known_format_fails_and_text_stays_one_piece(write_piece, run_import):
    opml = write_piece("subs.txt", '<?xml version="1.0"?><opml version="2.0"><body/></opml>')
    text = write_piece("piece.txt", piece_text())
    run_import(opml, text)
    failed, created = ImportRecord.objects.order_by("id")
    assert failed.outcome == "failed" and "not a feed in any format newsroom reads" in failed.error
    assert created.outcome == "created" and created.raw_format == "text" and created.origin == str(text)


def test_a_folder_is_searched_for_the_pattern_and_each_file_read_by_its_content(pieces_dir, write_piece, run_import):
    write_piece("a.txt", piece_text())
    shutil.copy(FEEDS / "jsonfeed.json", pieces_dir / "b.json")
    run_import(pieces_dir)
    assert ImportRecord.objects.count() == 1, "the default pattern is *.txt"
    run_import(pieces_dir, "--pattern", "*")
    origins = list(ImportRecord.objects.order_by("id").values_list("origin", flat=True))[1:]
    assert origins[0] == str(pieces_dir / "a.txt")
    assert origins[1:] == [f"{pieces_dir / 'b.json'}#item-{n}" for n in range(1, len(origins))]


def test_standard_input_holding_a_feed_is_split_into_items(monkeypatch, run_import):
    data = (FEEDS / "jsonfeed.json").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    out, error = run_import("-")
    assert error == ""
    origins = list(ImportRecord.objects.order_by("id").values_list("origin", flat=True))
    assert origins == [f"stdin#item-{n}" for n in range(1, len(origins) + 1)] and len(origins) >= 2
