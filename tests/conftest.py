"""Shared fixtures: users in each editorial role, small builders for rows, and the pieces tests import.

Tests that need a piece in the seed's shape use the invented one in `tests/fixtures/pieces/` (or the invented demo
pieces in `samples/`). Tests that measure the importer on the publishers' real pieces are marked `shared_samples`:
those pieces may not be copied into the repository, so they are read from `../shared/samples/` (or the folder
`NEWSROOM_SHARED_SAMPLES` names), and a checkout without them skips exactly those tests, saying why.
"""

import json
import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User

from articles.models import Article, Author, Byline, Source

REPO = Path(__file__).resolve().parent.parent
SEED_SHAPED = REPO / "tests" / "fixtures" / "pieces" / "seed_shaped.txt"
SEED_SHAPED_TRUTH = json.loads(SEED_SHAPED.with_suffix(".truth.json").read_text(encoding="utf-8"))
DEMO_PIECES = REPO / "samples"
SHARED_SAMPLES = Path(os.environ.get("NEWSROOM_SHARED_SAMPLES") or REPO.parent / "shared" / "samples")
SHARED_SAMPLES_ABSENT = (
    "the publishers' sample pieces are not in this checkout; they may not be copied into the repository"
)


def shared_samples_present() -> bool:
    return (SHARED_SAMPLES / "seed.txt").is_file()


def pytest_collection_modifyitems(config, items):
    """Skip the tests marked `shared_samples` where the publishers' pieces are absent, with the reason."""
    if shared_samples_present():
        return
    skip = pytest.mark.skip(reason=SHARED_SAMPLES_ABSENT)
    for item in items:
        if "shared_samples" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def fresh_cache():
    """The admin and the API cache table-wide figures (counts, languages, date ranges); each test starts without."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def seed_path() -> Path:
    """Return the invented piece in the seed's shape (its truth: `SEED_SHAPED_TRUTH`)."""
    return SEED_SHAPED


def make_user(username: str, group: str | None = None, **extra) -> User:
    user = User.objects.create_user(username=username, password="pw-" + username, is_staff=True, **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(db) -> User:
    return make_user("editor", "Editor")


@pytest.fixture
def reporter(db) -> User:
    return make_user("reporter", "Reporter")


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser(username="root", password="pw-root")


@pytest.fixture
def make_article(db):
    """Return a builder: make_article(title=..., status=..., authors=["A", "B"], source="Outlet", **fields)."""
    from django.utils import timezone

    def build(title="An article", *, source="The Frontier Post", authors=(), body=None, **fields) -> Article:
        if isinstance(source, str):
            source = Source.objects.filter(name__iexact=source).first() or Source.objects.create(name=source)
        if fields.get("status") == Article.Status.PUBLISHED:
            fields.setdefault("published_at", timezone.now() - timezone.timedelta(hours=1))
        article = Article.objects.create(
            title=title,
            source=source,
            body=body if body is not None else f"The body of {title}.\n\nA second paragraph about {title}.",
            summary=fields.pop("summary", f"The body of {title}."),
            **fields,
        )
        for position, name in enumerate(authors):
            author = Author.objects.named(name).first() or Author.objects.create(name=name)
            Byline.objects.create(article=article, author=author, position=position)
        return article

    return build


def without_instance(response) -> dict:
    """Return a problem response's body without its `instance` (the path asked for): what a refusal says, for
    comparing the refusal of a hidden row with that of a missing one."""
    return {key: value for key, value in response.json().items() if key != "instance"}
