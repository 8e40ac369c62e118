"""Browser tests: Debian's headless Chromium, driven by Playwright, against Django's live server.

Never a downloaded browser: the executable is the system's `/usr/bin/chromium` (`make browser` installs it).
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the fixtures still use the ORM synchronously.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from playwright.sync_api import sync_playwright

from tests.conftest import SEED_SHAPED

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
SEED = SEED_SHAPED  # invented, in the seed's shape (tests/fixtures/pieces/)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser):
    """Return a function that opens a page in a fresh browser context (its own cookies, so its own login); keyword
    arguments go to the context (a viewport, a colour scheme)."""
    contexts = []

    def open_page(**options):
        context = browser.new_context(**({"viewport": {"width": 1400, "height": 1000}} | options))
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def log_in(live_server):
    """Return a function that logs a page in through the admin's login form."""

    def log_in_as(page, username: str, password: str):
        page.goto(f"{live_server.url}/admin/login/?next=/admin/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("input[type=submit]")
        page.wait_for_selector("#site-name")
        return page

    return log_in_as


@pytest.fixture
def screenshot():
    """Return a function that saves a full-page screenshot of a main screen under test-results/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(page, name: str, element=None):
        path = SCREENSHOTS / f"{name}.png"
        if element is not None:
            element.screenshot(path=str(path))
        else:
            page.screenshot(path=str(path), full_page=True)
        return path

    return save


@pytest.fixture(autouse=True)
def editorial_groups(transactional_db):
    """Give the live server the Editor and Reporter groups of migration 0003.

    A transactional test empties the tables when it ends, rows written by data migrations included, so each
    browser test sets the groups up again, with the permissions the migration gives them.
    """
    from importlib import import_module

    from django.contrib.auth.models import Group, Permission

    groups = import_module("articles.migrations.0003_editorial_groups")
    editors_only = import_module("articles.migrations.0004_import_records_for_editors_only")
    reporter_codenames = set(groups.REPORTER_CODENAMES) - set(editors_only.CODENAMES)
    ours = Permission.objects.filter(content_type__app_label__in=["articles", "taggit"])
    Group.objects.get_or_create(name="Editor")[0].permissions.set(ours)
    reporter = Group.objects.get_or_create(name="Reporter")[0]
    reporter.permissions.set(ours.filter(codename__in=reporter_codenames))


@pytest.fixture
def seed_article(transactional_db):
    """Import the seed piece through the pipeline, as an operator's import would, and return its article."""
    from articles.ingest import ImportOptions, import_bytes
    from articles.models import Article

    result = import_bytes(SEED.read_bytes(), origin=str(SEED.name), options=ImportOptions(channel="command"))
    assert result.outcome == "created", result
    return Article.objects.get(pk=result.article_id)
