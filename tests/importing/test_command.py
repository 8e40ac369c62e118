"""The command's own behaviour: standard input, progress bar only on a terminal, exit status."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.management.commands.import_articles import Command
from articles.management.reporting import progress_bar
from articles.models import Article
from tests.importing.conftest import SEED, SEED_TRUTH, piece_text

REPO = Path(__file__).resolve().parents[2]


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_a_progress_bar_is_drawn_on_a_terminal_only():
    command = Command(stdout=io.StringIO(), stderr=FakeTerminal())
    assert progress_bar(command, verbosity=1) is not None
    assert progress_bar(command, verbosity=0) is None
    assert progress_bar(Command(stdout=io.StringIO(), stderr=io.StringIO()), verbosity=1) is None


@pytest.mark.django_db
def test_the_progress_bar_counts_pieces_on_a_terminal(tmp_path):
    (tmp_path / "a.txt").write_text(piece_text("One"))
    (tmp_path / "b.txt").write_text(piece_text("Two", paragraphs=["Another story about the harbour."]))
    terminal = FakeTerminal()
    call_command("import_articles", str(tmp_path), stdout=io.StringIO(), stderr=terminal)
    assert "2/" in terminal.getvalue() or "2piece" in terminal.getvalue().replace(" ", "")


@pytest.mark.django_db
def test_a_piece_can_come_from_standard_input(monkeypatch):
    stdin = io.TextIOWrapper(io.BytesIO(SEED.read_bytes()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    out = io.StringIO()
    call_command("import_articles", "-", stdout=out)
    assert Article.objects.get().title == SEED_TRUTH["title"]
    assert "1 created" in out.getvalue()


@pytest.mark.django_db
def test_the_summary_names_every_outcome_and_the_time(tmp_path):
    (tmp_path / "a.txt").write_text(piece_text())
    out = io.StringIO()
    call_command("import_articles", str(tmp_path), stdout=out)
    summary = out.getvalue()
    for outcome in ["created", "updated", "unchanged", "duplicate", "conflict", "failed"]:
        assert outcome in summary
    assert " s (" in summary and "/s)" in summary


def test_the_exit_status_is_non_zero_only_when_a_piece_failed(tmp_path):
    good, bad = tmp_path / "good", tmp_path / "bad"
    good.mkdir()
    bad.mkdir()
    (good / "a.txt").write_text(piece_text())
    (bad / "empty.txt").write_bytes(b"")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'exit-status.sqlite3'}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True, check=False
        )

    assert manage("migrate", "--noinput").returncode == 0
    passed = manage("import_articles", str(good))
    assert passed.returncode == 0, passed.stderr
    failed = manage("import_articles", str(bad))
    assert failed.returncode == 1 and "1 of 1 pieces failed" in failed.stderr
