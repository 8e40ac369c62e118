"""Two imports at once, one of the originals and one of their near-copies: each story is still created once.

Real `import_articles` processes on a scratch database of the suite's engine (see tests/importing/processes.py).
"""

from tests.importing.conftest import scratch  # noqa: F401  (the fixture)
from tests.stories.texts import lightly_edited, piece

SEEDS = range(100, 160)


def test_two_imports_of_copies_of_the_same_stories_at_once_create_each_story_once(tmp_path, scratch):  # noqa: F811
    originals, copies = tmp_path / "originals", tmp_path / "copies"
    originals.mkdir()
    copies.mkdir()
    for seed in SEEDS:
        (originals / f"{seed}.txt").write_text(piece(seed))
        (copies / f"{seed}.txt").write_text(lightly_edited(seed))
    database = scratch()
    first = database.spawn_import(str(originals), "--batch-size", "3")
    second = database.spawn_import(str(copies), "--batch-size", "3")
    for process in (first, second):
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr
    assert database.query("SELECT COUNT(*) FROM articles_article")[0][0] == 2 * len(SEEDS)
    assert database.query("SELECT COUNT(*) FROM articles_article WHERE story_id IS NULL")[0][0] == 0
    assert database.query("SELECT COUNT(DISTINCT story_id) FROM articles_article")[0][0] == len(SEEDS)
    assert database.query("SELECT COUNT(*) FROM articles_story")[0][0] == len(SEEDS)
    assert database.query("SELECT MIN(size), MAX(size) FROM articles_story")[0] == (2, 2)
    # Each story pairs an original with its own copy: both files have the same name.
    pairs = database.query(
        "SELECT COUNT(DISTINCT a.title) FROM articles_article a GROUP BY a.story_id HAVING COUNT(*) = 2"
    )
    assert [count for (count,) in pairs] == [1] * len(SEEDS)
