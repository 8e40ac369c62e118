"""The operator's view of `import_articles`: a progress bar with a total and an ETA (also on a terminal that reports
no size), a summary that counts the pieces with warnings and names the batch's admin page, failures reported as
failures rather than as a crash, and no "does not name its source" warning when --source names it."""

import fcntl
import io
import json
import os
import pty
import re
import select
import shutil
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.management.reporting import ImportStopped
from articles.models import ImportBatch, ImportRecord
from tests.importing.conftest import piece_text

REPO = Path(__file__).resolve().parents[2]
FEED = REPO / "tests" / "fixtures" / "feeds" / "items.jsonl"
SOURCELESS = "Grain exports rise\n\nExports of grain rose sharply this year, officials said on Monday.\n"


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def three_pieces(folder: Path) -> Path:
    folder.mkdir()
    for n, title in enumerate(["Harbour fees rise", "Storm closes port", "Bridge approved"]):
        (folder / f"{n}.txt").write_text(piece_text(title, paragraphs=[f"Story {n} about the harbour, they said."]))
    return folder


@pytest.mark.django_db
def test_the_progress_bar_has_the_files_counted_first_as_its_total_and_an_eta(tmp_path):
    folder = three_pieces(tmp_path / "pieces")
    (folder / "skipped.md").write_text("not matched by the pattern")
    terminal = FakeTerminal()
    call_command("import_articles", str(folder), stdout=io.StringIO(), stderr=terminal)
    shown = terminal.getvalue()
    assert "0/3 [" in shown and "3/3 [" in shown  # the total is known before the first piece is read
    assert re.search(r"\d+/3 \[\d\d:\d\d<\d\d:\d\d", shown)  # elapsed<remaining: the ETA


@pytest.mark.django_db
def test_a_documents_items_grow_the_total_as_they_come(tmp_path):
    folder = three_pieces(tmp_path / "pieces")
    shutil.copy(FEED, folder / "items.txt")
    items = sum(1 for line in FEED.read_text().splitlines() if line.strip())
    terminal = FakeTerminal()
    with pytest.raises(ImportStopped):  # some of the fixture's lines are broken on purpose: failed items
        call_command("import_articles", str(folder), stdout=io.StringIO(), stderr=terminal)
    total = 3 + items
    assert "0/4 [" in terminal.getvalue() and f"{total}/{total} [" in terminal.getvalue()


@pytest.mark.django_db
def test_the_summary_counts_the_pieces_with_warnings_and_names_the_batch_page(tmp_path):
    folder = three_pieces(tmp_path / "pieces")
    (folder / "3.txt").write_text(SOURCELESS)
    out = io.StringIO()
    call_command("import_articles", str(folder), stdout=out, stderr=io.StringIO())
    batch = ImportBatch.objects.get()
    warned = ImportRecord.objects.filter(batch=batch).exclude(warnings=[]).count()
    assert warned == 1
    assert "4 created" in out.getvalue() and "; 1 with warnings." in out.getvalue()
    assert f"Import batch {batch.pk}: /admin/articles/importbatch/{batch.pk}/change/" in out.getvalue()


@pytest.mark.django_db
def test_a_dry_run_has_no_batch_to_name(tmp_path):
    out = io.StringIO()
    call_command("import_articles", str(three_pieces(tmp_path / "pieces")), "--dry-run", stdout=out)
    assert "Import batch" not in out.getvalue() and "with warnings" not in out.getvalue()


@pytest.mark.django_db
def test_a_source_given_with_source_leaves_no_missing_source_warning(tmp_path):
    (tmp_path / "a.txt").write_text(SOURCELESS)
    report = tmp_path / "report.jsonl"
    call_command(
        "import_articles", str(tmp_path / "a.txt"), "--source", "Astana Times", "--report", str(report),
        stdout=io.StringIO(),
    )  # fmt: skip
    [line] = report.read_text().splitlines()
    assert not [w for w in json.loads(line)["warnings"] if "does not name its source" in w]
    assert ImportRecord.objects.get().article.source.name == "Astana Times"


@pytest.mark.django_db
def test_call_command_still_raises_for_failed_pieces(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(CommandError) as raised:
        call_command("import_articles", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())
    assert isinstance(raised.value, ImportStopped) and raised.value.returncode == 1


@pytest.fixture(scope="module")
def command_line(tmp_path_factory):
    """Return run(args, terminal=None) -> (exit status, stdout, stderr) of `manage.py` in a real process, on a
    SQLite file of its own; with terminal=(lines, columns) its output is a pseudo-terminal of that size."""
    folder = tmp_path_factory.mktemp("command-line")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("COLUMNS", None)
    env.pop("LINES", None)

    def run(*args, terminal=None):
        command = [sys.executable, "manage.py", *map(str, args)]
        if terminal is None:
            done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False, timeout=120)
            return done.returncode, done.stdout, done.stderr
        return _in_terminal(command, env, *terminal)

    status, _, err = run("migrate", "--noinput")
    assert status == 0, err
    return run


def _in_terminal(command, env, lines: int, columns: int):
    main, side = pty.openpty()
    fcntl.ioctl(side, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
    process = subprocess.Popen(command, cwd=REPO, env=env, stdin=side, stdout=side, stderr=side, close_fds=True)
    os.close(side)
    shown, deadline = b"", time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 1)
        if not ready:
            if process.poll() is not None:
                break
            continue
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the terminal closes with the process
            break
        if not chunk:
            break
        shown += chunk
    os.close(main)
    return process.wait(timeout=60), shown.decode("utf-8", "replace"), ""


@pytest.mark.parametrize("size", [(0, 0), (24, 0), (0, 100), (24, 100)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_progress_bar_shows_on_a_terminal_of_any_reported_size(command_line, tmp_path, size):
    folder = three_pieces(tmp_path / "pieces")
    status, shown, _ = command_line("import_articles", folder, terminal=size)
    assert status == 0, shown
    assert "3/3 [" in shown and "piece/s]" in shown, shown


def test_failed_pieces_end_the_command_with_their_message_and_status_not_as_a_crash(command_line, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    status, out, err = command_line("import_articles", tmp_path)
    assert status == 1
    assert "1 of 1 pieces failed; see the lines above or the report." in err
    assert "CommandError" not in err and "Traceback" not in err
    assert "1 failed" in out and "failed  " in out


def test_a_mistake_in_the_arguments_is_still_a_command_error(command_line, tmp_path):
    status, _, err = command_line("import_articles", tmp_path / "missing")
    assert status == 1 and "CommandError: No such file or directory" in err
