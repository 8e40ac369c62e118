"""Every path the importer is given or finds ends as an imported piece or a failed one with its reason: never a
wait without end, a crash, or silence. Named pipes, sockets and devices are not read; folders that cannot be listed
and links to folders are reported; odd names and vanished files are handled.

The tests that need the operating system to refuse a read run the command in a separate process on a scratch
database (of the suite's engine): as root, that process is left without the capabilities that let root read
anything, so file modes bind it as they bind any user.
"""

import json
import os
import socket
import stat
import tempfile
import threading
from pathlib import Path

import pytest

from articles.ingest import ImportOptions, import_pieces
from articles.ingest.reading import iter_piece_inputs, read_piece
from articles.models import Article, ImportBatch, ImportRecord
from tests.importing.conftest import piece_text
from tests.importing.processes import as_root_bound_by_file_modes

GOOD = piece_text("First good piece")
OTHER = piece_text("Second good piece", paragraphs=["A different story entirely, told here."])


class PipeWatchdog:
    """Open a named pipe's writing end if anyone is ever left waiting to read it, so that a test of a blocking read
    fails with a clear assertion rather than waiting for ever. (With nobody reading, the open fails at once.)"""

    def __init__(self, path: Path):
        self.path, self.unblocked, self._stop = path, False, threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self):
        while not self._stop.wait(0.2):
            try:
                descriptor = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:
                continue  # no reader waiting: as it should be
            os.close(descriptor)
            self.unblocked = True

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def record(origin_suffix: str) -> ImportRecord:
    return ImportRecord.objects.get(origin__endswith=origin_suffix)


# --- special files ----------------------------------------------------------------------------------------------


def test_a_named_pipe_in_a_folder_fails_and_the_good_files_are_stored(tmp_path, scratch):
    folder = tmp_path / "pieces"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD)
    os.mkfifo(folder / "b-pipe.txt")
    (folder / "c.txt").write_text(OTHER)
    report = tmp_path / "report.jsonl"
    database = scratch()

    result = database.manage("import_articles", str(folder), "--report", str(report), check=False, timeout=120)

    assert result.returncode == 1 and "1 of 3 pieces failed" in result.stderr
    assert f"failed  {folder / 'b-pipe.txt'}  (This is a named pipe (FIFO), not a regular file" in result.stdout
    titles = database.query("SELECT title FROM articles_article ORDER BY title")
    assert titles == [("First good piece",), ("Second good piece",)]
    [(outcome, error)] = database.query(
        "SELECT outcome, error FROM articles_importrecord WHERE origin LIKE '%b-pipe.txt'"
    )
    assert outcome == "failed" and "named pipe" in error
    assert database.query("SELECT status FROM articles_importbatch") == [("finished",)]
    lines = [json.loads(line) for line in report.read_text().splitlines()]
    assert [(line["origin"].rsplit("/", 1)[1], line["outcome"]) for line in lines] == [
        ("a.txt", "created"),
        ("b-pipe.txt", "failed"),
        ("c.txt", "created"),
    ]


@pytest.fixture
def short_dir():
    """A folder with a short path: a socket's path must fit in about a hundred bytes."""
    with tempfile.TemporaryDirectory(prefix="nr-") as folder:
        yield Path(folder)


@pytest.mark.parametrize("kind", ["fifo", "socket", "device", "directory"])
def test_only_regular_files_are_read(short_dir, kind):
    path = short_dir / "piece.txt"
    expected = {
        "fifo": "This is a named pipe (FIFO), not a regular file; only regular files are imported.",
        "socket": "This is a socket, not a regular file; only regular files are imported.",
        "device": "This is a character device, not a regular file; only regular files are imported.",
        "directory": "This is a directory, not a file.",
    }[kind]
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "socket":
        listener = socket.socket(socket.AF_UNIX)
        listener.bind(str(path))
    elif kind == "device":
        path = Path("/dev/zero")  # endless: reading it would take the whole limit
    else:
        path.mkdir()
    with PipeWatchdog(path) as watchdog:
        piece = read_piece(str(path), max_bytes=1_000_000)
    assert not watchdog.unblocked, "the read waited for a writer"
    assert piece.error == expected and piece.data == b""
    if kind == "socket":
        listener.close()


@pytest.mark.django_db
def test_a_file_swapped_for_a_named_pipe_after_it_was_listed_fails_without_waiting(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "b.txt").write_text(OTHER)
    listed = list(iter_piece_inputs([str(tmp_path)], max_bytes=1_000_000))
    (tmp_path / "b.txt").unlink()
    os.mkfifo(tmp_path / "b.txt")
    with PipeWatchdog(tmp_path / "b.txt") as watchdog:
        report = import_pieces(listed, ImportOptions())
    assert not watchdog.unblocked, "the read waited for a writer"
    assert [result.outcome for result in report.results] == ["created", "failed"]
    assert "named pipe" in record("b.txt").error


@pytest.mark.django_db
def test_a_named_pipe_given_as_a_path_fails_and_the_rest_import(tmp_path, run_import):
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "good.txt").write_text(GOOD)
    with PipeWatchdog(tmp_path / "pipe") as watchdog:
        out, error = run_import(tmp_path / "pipe", tmp_path / "good.txt")
    assert not watchdog.unblocked, "the read waited for a writer"
    assert "1 of 2 pieces failed" in error
    assert record("pipe").outcome == "failed" and Article.objects.get().title == "First good piece"


# --- folders that cannot be read, links -------------------------------------------------------------------------


def test_a_folder_and_a_file_that_cannot_be_read_are_reported_and_fail_the_import(tmp_path, scratch):
    folder = tmp_path / "pieces"
    (folder / "closed").mkdir(parents=True)
    (folder / "closed" / "hidden.txt").write_text(OTHER)
    (folder / "good.txt").write_text(GOOD)
    (folder / "locked.txt").write_text(piece_text("Locked piece"))
    report = tmp_path / "report.jsonl"
    database = scratch()
    (folder / "closed").chmod(0)
    (folder / "locked.txt").chmod(0)
    try:
        arguments = ["import_articles", str(folder), "--report", str(report)]
        result = database.manage(*arguments, check=False, preexec_fn=as_root_bound_by_file_modes)
    finally:
        (folder / "closed").chmod(stat.S_IRWXU)
        (folder / "locked.txt").chmod(stat.S_IRUSR | stat.S_IWUSR)

    assert result.returncode == 1 and "2 of 3 pieces failed" in result.stderr, result.stderr
    closed = "The folder cannot be read (permission denied); none of the pieces in it were imported."
    assert f"failed  {folder / 'closed'}  ({closed})" in result.stdout
    assert "3 pieces in" in result.stdout and "1 created" in result.stdout and "2 failed" in result.stdout
    records = dict(database.query("SELECT origin, error FROM articles_importrecord WHERE outcome = 'failed'"))
    assert records == {
        str(folder / "closed"): closed,
        str(folder / "locked.txt"): "The file cannot be read: permission denied.",
    }
    assert database.query("SELECT title FROM articles_article") == [("First good piece",)]
    reported = {line["origin"]: line for line in map(json.loads, report.read_text().splitlines())}
    assert (
        reported[str(folder / "closed")]["outcome"] == "failed" and reported[str(folder / "closed")]["error"] == closed
    )


@pytest.mark.django_db
def test_a_link_to_a_folder_is_reported_not_followed_and_a_link_loop_ends(tmp_path, run_import):
    pieces, elsewhere = tmp_path / "pieces", tmp_path / "elsewhere"
    (pieces / "sub").mkdir(parents=True)
    elsewhere.mkdir()
    (pieces / "a.txt").write_text(GOOD)
    (elsewhere / "far.txt").write_text(OTHER)
    (pieces / "linked").symlink_to(elsewhere)
    (pieces / "sub" / "back").symlink_to(pieces)  # a loop: sub/back/sub/back/...
    (pieces / "loop.txt").symlink_to(pieces / "loop.txt")  # a link to itself
    (pieces / "alias.txt").symlink_to(pieces / "a.txt")  # a link to a file is read

    out, error = run_import(pieces)

    assert "3 of 5 pieces failed" in error
    not_followed = "links to folders are not followed, so none of the pieces under it were imported"
    assert not_followed in record("pieces/linked").error and str(elsewhere) in record("pieces/linked").error
    assert not_followed in record("sub/back").error
    assert record("loop.txt").error == "The file cannot be read: Too many levels of symbolic links."
    assert record("alias.txt").outcome == "unchanged" and record("/a.txt").outcome == "created"
    assert not Article.objects.filter(title="Second good piece").exists()
    assert run_import(pieces / "linked")[1] == "", "a link to a folder given as a path is searched"
    assert Article.objects.filter(title="Second good piece").exists()


# --- odd names, vanished files, standard input -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_file_that_vanishes_between_listing_and_reading_fails_and_the_rest_import(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "b.txt").write_text(OTHER)
    listed = list(iter_piece_inputs([str(tmp_path)], max_bytes=1_000_000))
    (tmp_path / "a.txt").unlink()
    report = import_pieces(listed, ImportOptions())
    assert [result.outcome for result in report.results] == ["failed", "created"]
    assert record("a.txt").error == "The file cannot be read: No such file or directory."


@pytest.mark.django_db
def test_a_folder_given_with_a_trailing_slash_imports_under_the_same_names(pieces_dir, run_import):
    (pieces_dir / "sub").mkdir()
    (pieces_dir / "a.txt").write_text(GOOD)
    (pieces_dir / "sub" / "b.txt").write_text(OTHER)
    assert run_import(f"{pieces_dir}/")[1] == ""
    assert run_import(pieces_dir)[1] == ""
    origins = sorted(ImportRecord.objects.values_list("origin", "outcome"))
    assert origins == [
        (f"{pieces_dir}/a.txt", "created"),
        (f"{pieces_dir}/a.txt", "unchanged"),
        (f"{pieces_dir}/sub/b.txt", "created"),
        (f"{pieces_dir}/sub/b.txt", "unchanged"),
    ]


@pytest.mark.django_db
def test_a_file_given_with_a_trailing_slash_fails_with_the_reason(pieces_dir, run_import):
    (pieces_dir / "a.txt").write_text(GOOD)
    out, error = run_import(f"{pieces_dir / 'a.txt'}/")
    assert "1 of 1 pieces failed" in error
    assert record("a.txt/").error == "The file cannot be read: Not a directory."


@pytest.mark.django_db
def test_a_file_name_that_is_not_utf8_is_imported_under_a_printable_name(pieces_dir, run_import, tmp_path):
    name = os.fsencode(pieces_dir) + b"/caf\xe9-\xff.txt"
    with open(name, "wb") as file:
        file.write(GOOD.encode())
    report = tmp_path / "report.jsonl"
    out, error = run_import(pieces_dir, "--report", report, "--verbosity", "2")
    assert error == ""
    shown = f"{pieces_dir}/caf\\xe9-\\xff.txt"
    assert record("-\\xff.txt").origin == shown and record("-\\xff.txt").outcome == "created"
    assert json.loads(report.read_text(encoding="utf-8"))["origin"] == shown
    assert shown in out
    assert Article.objects.get().title == "First good piece"


@pytest.mark.django_db
def test_a_folder_whose_name_is_not_utf8_and_cannot_be_read_is_reported(pieces_dir, run_import, monkeypatch):
    folder = os.fsencode(pieces_dir) + b"/d\xe9p\xf4t"
    os.mkdir(folder)
    with open(folder + b"/a.txt", "wb") as file:
        file.write(GOOD.encode())
    real_scandir = os.scandir

    def refuse(path):
        # Tests run as root, where modes do not stop a listing; refuse this folder as the OS would (a real refusal
        # by the OS: test_a_folder_and_a_file_that_cannot_be_read_are_reported_and_fail_the_import).
        if os.fsencode(path) == folder:
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refuse)
    out, error = run_import(pieces_dir)
    assert "1 of 1 pieces failed" in error
    assert record("d\\xe9p\\xf4t").error.startswith("The folder cannot be read (permission denied)")


@pytest.mark.django_db
def test_without_a_standard_input_a_piece_from_it_fails_with_the_reason(run_import, monkeypatch):
    import sys

    monkeypatch.setattr(sys, "stdin", None)
    out, error = run_import("-")
    assert "1 of 1 pieces failed" in error
    assert record("stdin").error == "There is no standard input to read the piece from."
    assert ImportBatch.objects.get().status == "finished"
