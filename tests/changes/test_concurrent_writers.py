"""The change feed under concurrent writers in separate processes, as a partner follows it during the writes."""

import json
import subprocess
import sys

import pytest

from tests.importing.processes import REPO, ScratchDatabase
from tests.servers import process_environment

WRITERS = 3
OPERATIONS = 60


@pytest.fixture
def scratch(tmp_path):
    database = ScratchDatabase(tmp_path)
    yield database
    database.drop()


def shell(database, code):
    env = process_environment(
        {**database.env(), "NEWSROOM_API_ANON_RATE": "100000/minute", "DJANGO_ALLOWED_HOSTS": "localhost"}
    )
    command = [sys.executable, "manage.py", "shell", "-v0", "-c", code]
    return subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def last_json(process, seconds=300):
    out, err = process.communicate(timeout=seconds)
    assert process.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


@pytest.mark.django_db(transaction=True)
def test_a_partner_following_during_concurrent_writes_ends_with_the_archive(scratch, tmp_path):
    stop = tmp_path / "writers-done"
    partner = shell(scratch, f"from tests.changes.partner import follow_until; follow_until({str(stop)!r})")
    writers = [
        shell(scratch, f"from tests.changes.partner import write_at_random; write_at_random({seed}, {OPERATIONS})")
        for seed in range(WRITERS)
    ]
    for writer in writers:
        assert last_json(writer) == {"done": OPERATIONS}
    stop.touch()
    result = last_json(partner)
    assert result["gaps"] == 0
    assert result["equal"], result
    assert result["pages"] > 1  # it read while the writers wrote
