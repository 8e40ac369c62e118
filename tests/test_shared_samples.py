"""A checkout without the publishers' pieces (a clone of the repository alone) collects the whole suite and skips
exactly the tests marked `shared_samples`, saying why; the rest read only what the repository holds."""

import os
import subprocess
import sys

from tests.conftest import REPO, SHARED_SAMPLES_ABSENT


def run_pytest(*args, shared: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NEWSROOM_SHARED_SAMPLES": shared}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rs", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_without_the_shared_samples_the_suite_collects_and_their_tests_are_skipped_with_the_reason(tmp_path):
    collected = run_pytest("--collect-only", shared=str(tmp_path / "absent"))
    assert collected.returncode == 0, collected.stdout + collected.stderr
    marked = run_pytest("-m", "shared_samples", "tests/ingest", "tests/importing", shared=str(tmp_path / "absent"))
    assert marked.returncode == 0, marked.stdout + marked.stderr
    summary = marked.stdout.strip().splitlines()[-1]
    assert "skipped" in summary and "passed" not in summary and "failed" not in summary, summary
    assert SHARED_SAMPLES_ABSENT in marked.stdout
