"""Shared fixtures: users in each editorial role and small builders for rows."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User

from articles.models import Article, Author, Byline, Source

SHARED_SAMPLES = Path(__file__).resolve().parent.parent.parent / "shared" / "samples"


@pytest.fixture(autouse=True)
def fresh_cache():
    """The admin and the API cache table-wide figures (counts, languages, date ranges); each test starts without."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def seed_path() -> Path:
    path = SHARED_SAMPLES / "seed.txt"
    assert path.exists(), f"the seed piece is expected at {path}"
    return path


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
