"""Real processes against a real database file or server: a killed import, a re-run, and two imports at once.

These run `manage.py import_articles` as separate processes (as an operator would), on a scratch database of
the same engine as the suite: a SQLite file, or a scratch PostgreSQL database when DATABASE_URL points at one.
"""

import json
import os
import signal
import time

from articles.models import ImportRecord
from tests.importing.processes import ARTICLE_STATE, descendants, make_corpus, wait_until_gone

OUTCOMES = list(ImportRecord.Outcome.values)


def test_a_killed_import_and_a_rerun_give_the_same_articles_as_one_clean_run(tmp_path, scratch):
    corpus = make_corpus(tmp_path / "corpus", 1200)
    interrupted, clean = scratch("interrupted"), scratch("clean")

    process = interrupted.spawn_import(str(corpus), "--batch-size", "50")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        stored = interrupted.query("SELECT COUNT(*) FROM articles_article")[0][0]
        if stored >= 200 or process.poll() is not None:
            break
        time.sleep(0.05)
    helpers = descendants(process.pid)
    process.send_signal(signal.SIGKILL)
    process.wait()
    stored = interrupted.query("SELECT COUNT(*) FROM articles_article")[0][0]
    assert 0 < stored < 1200, "the import should have been killed part-way"
    assert stored % 50 == 0, "only whole batches are ever stored"
    assert helpers, "the import should have been staging in worker processes"
    assert wait_until_gone(helpers, seconds=10) == set(), "the killed import's staging processes outlived it"
    [(killed_batch, status, _)] = batches(interrupted)
    assert status == "running", "a run killed outright cannot say so itself"

    rerun = interrupted.manage("import_articles", str(corpus), "--batch-size", "50", "--verbosity", "0")
    assert rerun.returncode == 0, rerun.stderr
    clean.manage("import_articles", str(corpus), "--batch-size", "50", "--verbosity", "0")
    assert interrupted.query(ARTICLE_STATE) == clean.query(ARTICLE_STATE)
    outcomes = dict(interrupted.query("SELECT outcome, COUNT(*) FROM articles_importrecord GROUP BY outcome"))
    assert outcomes == {"created": 1200, "unchanged": stored}
    killed, rerun_batch = batches(interrupted)
    assert killed == (killed_batch, "interrupted", counts(created=stored)), "the next import marks the dead run"
    assert rerun_batch[1:] == ("finished", counts(created=1200 - stored, unchanged=stored))


def batches(database) -> list[tuple[int, str, dict]]:
    """Return each import batch's id, status and counts, oldest first."""
    rows = database.query("SELECT id, status, counts FROM articles_importbatch ORDER BY id")
    return [(pk, status, json.loads(found) if isinstance(found, str) else found) for pk, status, found in rows]


def counts(**outcomes) -> dict[str, int]:
    return {outcome: outcomes.get(outcome, 0) for outcome in OUTCOMES}


def as_in_a_terminal() -> None:
    """Give the import SIGINT as a terminal's foreground job has it: handled by default, not blocked. A child
    inherits an ignored or blocked SIGINT from the process that starts it; in the whole suite's run the import
    was seen to carry on through the signal, as a process started that way would."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def test_ctrl_c_stops_the_import_cleanly_with_a_summary_and_an_interrupted_batch(tmp_path, scratch):
    # Enough pieces that the import is still running when the signal comes: small pieces import at thousands a
    # second on a quiet machine: in one run all of 3,000 were in before the signal came.
    total = 10_000
    corpus = make_corpus(tmp_path / "corpus", total)
    database = scratch()
    # A terminal's Ctrl-C sends SIGINT to the whole foreground process group: the import and its staging processes.
    process = database.spawn_import(
        str(corpus), "--batch-size", "50", verbosity="1", start_new_session=True, preexec_fn=as_in_a_terminal
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if database.query("SELECT COUNT(*) FROM articles_importrecord")[0][0] >= 100:
            break
        time.sleep(0.02)
    assert process.poll() is None, "the import ended before it could be interrupted"
    helpers = descendants(process.pid)
    os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)

    assert process.returncode == 130, (stdout[-2000:], stderr[-2000:])
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    [(batch, status, stored_counts)] = batches(database)
    stored = database.query("SELECT COUNT(*) FROM articles_importrecord")[0][0]
    assert 100 <= stored < total, "the import should have been stopped part-way"
    assert status == "interrupted" and stored_counts == counts(created=stored)
    assert database.query("SELECT COUNT(*) FROM articles_article")[0][0] == stored
    assert f"Interrupted: {stored} pieces in " in stdout and f"{stored} created, 0 updated" in stdout
    assert f"import batch {batch} is marked interrupted" in stderr
    assert helpers, "the import should have been staging in worker processes"
    assert wait_until_gone(helpers, seconds=10) == set(), "staging processes outlived the interrupted import"


def test_two_imports_of_the_same_folder_at_once_create_each_article_once(tmp_path, scratch):
    corpus = make_corpus(tmp_path / "corpus", 600)
    database = scratch()
    first = database.spawn_import(str(corpus), "--batch-size", "25")
    second = database.spawn_import(str(corpus), "--batch-size", "25")
    for process in (first, second):
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr
    assert database.query("SELECT COUNT(*) FROM articles_article")[0][0] == 600
    assert database.query("SELECT COUNT(*) FROM articles_source")[0][0] == 3
    assert database.query("SELECT COUNT(DISTINCT fingerprint) FROM articles_article")[0][0] == 600
    outcomes = dict(database.query("SELECT outcome, COUNT(*) FROM articles_importrecord GROUP BY outcome"))
    assert outcomes.get("created") == 600 and outcomes.get("unchanged") == 600 and "failed" not in outcomes
