"""Fixtures for import tests: pieces written to a temporary folder and the command run in-process."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.conftest import DEMO_PIECES, SEED_SHAPED, SEED_SHAPED_TRUTH, SHARED_SAMPLES

SEED, SEED_TRUTH = SEED_SHAPED, SEED_SHAPED_TRUTH  # invented, in the seed's shape (tests/fixtures/pieces/)
PIECES = SHARED_SAMPLES / "pieces"  # the publishers' pieces: tests reading them are marked shared_samples
FOLDERS = [
    pytest.param(DEMO_PIECES, id="demo pieces"),
    pytest.param(PIECES, id="publishers' pieces", marks=pytest.mark.shared_samples),
]


def piece_text(title="Grain corridor opens", *, byline="Dana Orlova", source="Harbour Times", paragraphs=None):
    """Return a piece in the seed's shape; the default body is long enough to have a lede and a subheading."""
    paragraphs = paragraphs or [
        f"The first shipment through the {title.lower()} left port on Monday, officials said.",
        "Exporters had waited months for the route to open after a storm damaged the old line.",
        "What comes next",
        "Traders expect volumes to double before the end of the year.",
    ]
    lines = [title, title]
    if byline:
        lines.append(byline)
    lines += paragraphs
    if source:
        lines.append(f"The post {title} appeared first on {source}.")
    return "\n".join(lines) + "\n"


@pytest.fixture
def pieces_dir(tmp_path) -> Path:
    folder = tmp_path / "pieces"
    folder.mkdir()
    return folder


@pytest.fixture
def write_piece(pieces_dir):
    def write(name: str, content: str | bytes) -> Path:
        path = pieces_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.encode("utf-8")
        path.write_bytes(content)
        return path

    return write


@pytest.fixture
def run_import():
    """Run `import_articles` in-process; return (stdout, error) where error is the CommandError text or ''."""
    from django.core.management.base import CommandError

    def run(*args) -> tuple[str, str]:
        out = io.StringIO()
        try:
            call_command("import_articles", *[str(a) for a in args], stdout=out, stderr=io.StringIO())
        except CommandError as error:
            return out.getvalue(), str(error)
        return out.getvalue(), ""

    return run


@pytest.fixture
def scratch(tmp_path):
    """Return make(name) -> a scratch database of the suite's engine that separate processes can share; each is
    dropped after the test."""
    from tests.importing.processes import ScratchDatabase

    databases = []

    def make(name="db"):
        folder = tmp_path / name
        folder.mkdir()
        databases.append(ScratchDatabase(folder))
        return databases[-1]

    yield make
    for database in databases:
        database.drop()
