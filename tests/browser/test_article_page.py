"""The public article page in a real browser: it renders, it reads on a phone, and axe-core finds nothing serious."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from articles.models import Article, Topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def public_article(make_article):
    article = make_article(
        "Ferry timetable changes after the storm season ends in the northern harbours",
        status=Article.Status.PUBLISHED,
        authors=["Ann Lee", "Bo Chan"],
        body="The ferries run again.\n\n## What changes\n\n- earlier crossings\n- a night boat\n\n"
        + "A long paragraph about the harbour and its boats. " * 30
        + "\n\nAnunbrokenwordthatisverylongindeedandwouldoverflowanarrowscreenifnothingwrappedit.",
        external_id="https://frontier.example/ferries",
    )
    article.topics.add(Topic.objects.create(name="Transport"))
    article.tags.add("ferries")
    return article


def run_axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate("async () => (await axe.run(document)).violations")


def test_the_public_page_renders_reads_on_a_phone_and_has_no_serious_accessibility_violation(
    browser, live_server, screenshot, public_article
):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}{public_article.get_absolute_url()}")
        expect(page.locator("h1")).to_have_text(public_article.title)
        expect(page.locator("article h2")).to_have_text("What changes")
        expect(page.locator(".meta")).to_contain_text("Ann Lee")
        expect(page.locator(".origin a")).to_have_attribute("href", "https://frontier.example/ferries")

        # Readable at phone width: nothing scrolls sideways, and the text is not shrunk below a readable size.
        widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], widths
        size = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.body p')).fontSize)")
        assert size >= 16
        screenshot(page, "public-article-phone")

        violations = run_axe(page)
        serious = [(v["id"], v["impact"], v["help"]) for v in violations if v["impact"] in {"serious", "critical"}]
        assert serious == []
    finally:
        context.close()


def test_a_draft_has_no_page_in_the_browser_either(page, live_server, make_article):
    draft = make_article("Unfinished draft")
    response = page.goto(f"{live_server.url}{draft.get_absolute_url()}")
    assert response.status == 404
