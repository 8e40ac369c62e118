"""Bad input gets a clear reason, leaves no partial rows, and never stops the rest of the batch."""

import os

import pytest

from articles.ingest import ImportOptions, import_files, reading
from articles.models import Article, Author, ImportRecord, Source
from tests.importing.conftest import piece_text

pytestmark = pytest.mark.django_db


def outcome_of(origin_suffix: str) -> ImportRecord:
    return ImportRecord.objects.get(origin__endswith=origin_suffix)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"   \n\t\n  ", "only whitespace"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 20, "binary"),
        (b"Only a title\nOnly a title\n", "no body"),
    ],
    ids=["empty", "whitespace-only", "binary", "title-without-body"],
)
def test_a_bad_file_fails_with_a_reason_and_the_good_ones_still_import(
    write_piece, pieces_dir, run_import, content, reason
):
    write_piece("a-good.txt", piece_text("First good piece"))
    write_piece("b-bad.txt", content)
    write_piece("c-good.txt", piece_text("Second good piece", paragraphs=["A different story entirely, told here."]))
    out, error = run_import(pieces_dir)
    assert "1 of 3 pieces failed" in error
    bad = outcome_of("b-bad.txt")
    assert bad.outcome == "failed" and reason in bad.error.lower() and bad.article is None
    assert bytes(bad.raw) == content
    assert sorted(Article.objects.values_list("title", flat=True)) == ["First good piece", "Second good piece"]
    assert "b-bad.txt" in out


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("cp1251", "Казахстан и Россия\nКазахстан и Россия\nТекст статьи о торговле между странами продолжается."),
        ("latin-1", "Café society returns\nCafé society returns\nThe café on the corner reopened on Monday, déjà vu."),
    ],
)
def test_legacy_encodings_are_decoded_and_the_encoding_is_recorded(write_piece, pieces_dir, run_import, encoding, text):
    write_piece("legacy.txt", (text + "\n").encode(encoding))
    out, error = run_import(pieces_dir)
    assert error == ""
    record = ImportRecord.objects.get()
    assert record.outcome == "created"
    assert record.encoding.replace("_", "-").lower() in {encoding, "windows-1251", "iso-8859-1", "cp1252"}
    article = Article.objects.get()
    assert article.title == text.splitlines()[0]
    assert record.raw_text.splitlines()[0] == text.splitlines()[0]


def test_a_file_over_the_size_limit_fails_without_being_stored(write_piece, pieces_dir, run_import, settings):
    settings.NEWSROOM_IMPORT_MAX_BYTES = 2_000
    write_piece("huge.txt", piece_text(paragraphs=["A long paragraph that goes on. " * 200]))
    write_piece("small.txt", piece_text("Small piece"))
    out, error = run_import(pieces_dir)
    huge = outcome_of("huge.txt")
    assert huge.outcome == "failed" and "over the import limit of 2,000 bytes" in huge.error
    assert huge.raw_size > 2_000 and bytes(huge.raw) == b""
    assert Article.objects.get().title == "Small piece"


def test_a_directory_without_pieces_is_reported_and_not_an_error(tmp_path, run_import):
    (tmp_path / "notes.md").write_text("not a piece")
    out, error = run_import(tmp_path)
    assert error == "" and "No pieces found" in out and not ImportRecord.objects.exists()


def test_a_path_that_does_not_exist_is_a_command_error(tmp_path, run_import):
    out, error = run_import(tmp_path / "nowhere")
    assert "No such file or directory" in error and "nowhere" in error


def test_an_unreadable_file_fails_and_the_rest_import(write_piece, pieces_dir, run_import, monkeypatch):
    good = write_piece("good.txt", piece_text())
    locked = write_piece("locked.txt", piece_text("Locked piece"))

    real_open = os.open

    def guarded_open(path, *args, **kwargs):
        # Tests run as root, where file modes do not stop reads; refuse this one file as the OS would. Two files
        # make one batch, which is staged (and read) in this process, where the patch applies. (A real refusal by
        # the OS: tests/importing/test_unreadable_paths.py.)
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(reading.os, "open", guarded_open)
    out, error = run_import(pieces_dir)
    assert "permission denied" in outcome_of("locked.txt").error
    assert outcome_of(good.name).outcome == "created"


def test_a_broken_symlink_fails_with_a_reason(write_piece, pieces_dir, run_import):
    (pieces_dir / "gone.txt").symlink_to(pieces_dir / "missing-target.txt")
    write_piece("good.txt", piece_text())
    out, error = run_import(pieces_dir)
    assert outcome_of("gone.txt").outcome == "failed" and "cannot be read" in outcome_of("gone.txt").error
    assert Article.objects.count() == 1


def test_a_truncated_utf8_sequence_is_still_imported_without_losing_the_rest(write_piece, pieces_dir, run_import):
    data = piece_text(source=None).encode() + "Last words – cut".encode() + "…".encode()[:2]
    write_piece("cut.txt", data)
    run_import(pieces_dir)
    record = ImportRecord.objects.get()
    assert bytes(record.raw) == data
    assert (record.outcome, record.encoding) == ("created", "utf-8")
    assert any("cut off" in warning for warning in record.warnings)
    body = Article.objects.get().body
    assert "Exporters had waited months" in body and body.endswith("Last words – cut")


def test_a_failed_piece_leaves_no_partial_rows():
    report = import_files([("bad.txt", b"\x00\x01\x02" * 100)], ImportOptions())
    assert report.failed == 1
    assert not Article.objects.exists() and not Author.objects.exists() and not Source.objects.exists()
    assert ImportRecord.objects.get().outcome == "failed"


def test_bad_options_are_command_errors(run_import, tmp_path):
    assert "at least 1" in run_import(tmp_path, "--batch-size", "0")[1]


@pytest.mark.parametrize(
    ("piece", "reason"),
    [(piece_text("Harbour" + "x" * 600), "title"), (piece_text(source="Harbour " + "Times" * 60), "source name")],
    ids=["title", "source-name"],
)
def test_a_title_or_source_name_too_long_for_its_column_fails_and_the_rest_import(piece, reason):
    good = piece_text("Second good piece", paragraphs=["A different story entirely, told here."])
    report = import_files([("long.txt", piece.encode()), ("good.txt", good.encode())], ImportOptions())
    long, stored = report.results
    assert long.outcome == "failed" and reason in long.error and long.article_id is None
    assert stored.outcome == "created"
    assert list(Article.objects.values_list("title", flat=True)) == ["Second good piece"]
    assert ImportRecord.objects.get(origin="long.txt").outcome == "failed"


def test_a_piece_the_database_refuses_fails_alone_and_the_rest_of_its_batch_imports(monkeypatch):
    from django.db import DataError

    from articles.ingest import write

    write_articles = write.write_articles

    def refuse_one(decisions, **kwargs):
        if any(d.article is not None and d.article.title == "Refused piece" for d in decisions):
            raise DataError("value too long")
        return write_articles(decisions, **kwargs)

    monkeypatch.setattr(write, "write_articles", refuse_one)
    good = piece_text("Second good piece", paragraphs=["A different story entirely, told here."])
    report = import_files(
        [("refused.txt", piece_text("Refused piece").encode()), ("good.txt", good.encode())], ImportOptions()
    )
    refused, stored = report.results
    assert refused.outcome == "failed" and "could not be stored" in refused.error and refused.article_id is None
    assert stored.outcome == "created"
    assert list(Article.objects.values_list("title", flat=True)) == ["Second good piece"]
