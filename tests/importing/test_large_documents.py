"""A document of 10,000 items streams through the pipeline in batches: the importing process's memory depends on
the batch size, not on the document's size; killed midway, a re-run gives the database one clean run gives."""

import json
import signal
import time
import tracemalloc

import pytest

from articles.ingest import ImportOptions, import_document
from articles.models import Article, ImportRecord
from tests.importing.processes import ARTICLE_STATE

pytestmark = pytest.mark.django_db

ITEMS = 10_000


def _rss_item(index: int) -> bytes:
    words = " ".join(f"word{index}x{n}" for n in range(60))
    return (
        f"<item><title>Generated piece {index}</title><link>https://gen.example/{index}</link>"
        f'<guid isPermaLink="false">gen-{index}</guid><category>Topic {index % 7}</category>'
        f"<description><![CDATA[<p>{words}.</p>]]></description></item>\n"
    ).encode()


def _json_line(index: int) -> bytes:
    words = " ".join(f"word{index}x{n}" for n in range(60))
    line = {"title": f"Generated line {index}", "body": words + ".", "url": f"https://gen.example/l/{index}"}
    return json.dumps({**line, "source": "Generated Wire", "tags": [f"Topic {index % 7}"]}).encode() + b"\n"


def _write_rss(path, count: int):
    with path.open("wb") as file:
        file.write(b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Big Wire</title>\n')
        for index in range(count):
            file.write(_rss_item(index))
        file.write(b"</channel></rss>\n")


def _write_jsonl(path, count: int):
    with path.open("wb") as file:
        for index in range(count):
            file.write(_json_line(index))


def _peak_import(path, **options) -> tuple[int, object]:
    """Import the document at `path`; return the importing process's peak of traced memory, and the report."""
    tracemalloc.start()
    try:
        with path.open("rb") as file:
            report, _meta = import_document(file, origin=str(path), options=ImportOptions(**options))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak, report


@pytest.mark.parametrize("kind", ["rss", "jsonl"])
def test_a_ten_thousand_item_document_is_imported_in_flat_memory(tmp_path, kind):
    write = _write_rss if kind == "rss" else _write_jsonl
    small, big = tmp_path / f"small.{kind}", tmp_path / f"big.{kind}"
    write(small, 2_000)
    write(big, ITEMS)
    # The first import also loads the readers' modules and patterns, once per process: measured, not compared.
    import_document(small.read_bytes()[:4000], origin="warm-up", options=ImportOptions(dry_run=True), fmt=kind)
    small_peak, _report = _peak_import(small, batch_size=250)
    Article.objects.all().delete()
    peak, report = _peak_import(big, batch_size=250)
    assert report.counts["created"] == ITEMS and report.failed == 0
    assert Article.objects.count() == ITEMS
    assert ImportRecord.objects.filter(origin=f"{big}#item-{ITEMS}").exists()
    size = big.stat().st_size
    assert size > 6_000_000
    # Five times the items, the same batches: the peak is the batch's, whatever the document's length.
    # (Holding the document's pieces would grow with it: 10,000 items' staged pieces are tens of megabytes.)
    assert peak < small_peak * 1.5, f"peak {peak:,} bytes for {ITEMS:,} items, {small_peak:,} for 2,000"


def test_a_document_import_killed_midway_and_run_again_gives_the_same_database_as_one_clean_run(tmp_path, scratch):
    path = tmp_path / "wire.jsonl"
    _write_jsonl(path, 1500)
    interrupted, clean = scratch("interrupted"), scratch("clean")
    process = interrupted.spawn_import(str(path), "--batch-size", "50")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if interrupted.query("SELECT COUNT(*) FROM articles_article")[0][0] >= 200 or process.poll() is not None:
            break
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    stored = interrupted.query("SELECT COUNT(*) FROM articles_article")[0][0]
    assert 0 < stored < 1500, "the import should have been killed part-way"
    assert stored % 50 == 0, "only whole batches are ever stored"

    rerun = interrupted.manage("import_articles", str(path), "--batch-size", "50", "--verbosity", "0")
    assert rerun.returncode == 0, rerun.stderr
    clean.manage("import_articles", str(path), "--batch-size", "50", "--verbosity", "0")
    assert interrupted.query(ARTICLE_STATE) == clean.query(ARTICLE_STATE)
    identities = "SELECT external_id, link, language FROM articles_article ORDER BY external_id"
    assert interrupted.query(identities) == clean.query(identities)
    tags = "SELECT COUNT(*) FROM taggit_taggeditem"
    assert interrupted.query(tags) == clean.query(tags) == [(1500,)]
    outcomes = dict(interrupted.query("SELECT outcome, COUNT(*) FROM articles_importrecord GROUP BY outcome"))
    assert outcomes == {"created": 1500, "unchanged": stored}
