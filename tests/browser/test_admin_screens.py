"""Each screen of the desk in Chromium at 1440 px: axe-core finds no serious or critical violation on the
dashboard, the article list (with its filter counts), the change form (with its take-down time), the import page, a
story's page and the "possibly the same story" queue, light and dark; the change form asks before an editor leaves it
with unsaved changes. Every screen is saved under test-results/screenshots/."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.ingest import ImportOptions, import_files
from articles.models import Article, StoryCandidate
from tests.browser.test_article_page import run_axe
from tests.stories.texts import lightly_edited, paragraphs, piece

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = {"width": 1440, "height": 1000}
SCREENS = {
    "dashboard": "/admin/",
    "article-list": "/admin/articles/article/",
    "article-list-filtered": "/admin/articles/article/?status__exact=published&language=en",
    "import-page": "/admin/articles/article/import/",
    "story-queue": "/admin/articles/storycandidate/",
}


@pytest.fixture
def desk(editor, make_article, seed_article):
    """A desk with something on every screen: imports with a copy and a possible story match, and articles in
    each status, one scheduled with a take-down time."""
    half = [*paragraphs(12)[:4], *paragraphs(13)[:4]]
    report = import_files(
        [
            ("original.txt", piece(7).encode()),
            ("copy.txt", lightly_edited(7).encode()),
            ("first.txt", piece(12).encode()),
            ("mixed.txt", piece(0, title="A mixed piece", source="Daily Courier", body=half).encode()),
        ],
        ImportOptions(),
    )
    make_article("Waiting for review", status=Article.Status.REVIEW)
    start = timezone.now() + timezone.timedelta(hours=2)
    scheduled = make_article("Embargoed until noon", status=Article.Status.PUBLISHED, published_at=start)
    Article.objects.filter(pk=scheduled.pk).update(unpublish_at=start + timezone.timedelta(days=1))
    story = Article.objects.get(pk=report.results[0].article_id).story_id
    assert StoryCandidate.objects.exists(), "the queue has an entry to show"
    return {"scheduled": scheduled, "story": story}


def serious_violations(page) -> list[tuple]:
    return [
        (v["id"], v["impact"], v["help"], [node["target"] for node in v["nodes"]][:3])
        for v in run_axe(page)
        if v["impact"] in {"serious", "critical"}
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violation_on_the_desks_screens(
    new_page, log_in, live_server, screenshot, desk, scheme
):
    page = log_in(new_page(viewport=WIDE, color_scheme=scheme), "editor", "pw-editor")
    screens = {
        **SCREENS,
        "change-form": f"/admin/articles/article/{desk['scheduled'].pk}/change/",
        "story-page": f"/admin/articles/story/{desk['story']}/change/",
    }
    found = {}
    for name, path in screens.items():
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("#content")).to_be_visible()
        screenshot(page, f"a11y-{name}-{scheme}")
        found[name] = serious_violations(page)
    assert found == {name: [] for name in screens}


def test_the_dashboard_shows_copies_joined_and_the_possible_story_matches(new_page, log_in, live_server, desk):
    page = log_in(new_page(viewport=WIDE), "editor", "pw-editor")
    header = page.locator("#desk-periods thead th")
    labels = header.evaluate_all("cells => cells.map((cell) => cell.textContent.trim())")
    column = labels.index("Copies joined to stories")
    today = page.locator("#desk-periods tbody tr").first.locator("th, td")
    expect(today.nth(column)).to_have_text("1")
    expect(page.locator("#desk-candidates")).to_contain_text("Possibly the same story: 1 to decide")


def test_the_list_shows_counts_beside_its_filters(new_page, log_in, live_server, screenshot, desk):
    page = log_in(new_page(viewport=WIDE), "editor", "pw-editor")
    page.goto(f"{live_server.url}/admin/articles/article/")
    sidebar = page.locator("#changelist-filter")
    expect(sidebar).to_contain_text("Published (1)")
    expect(sidebar).to_contain_text("Scheduled (1)")
    expect(sidebar).to_contain_text(f"en ({Article.objects.count():,})")
    screenshot(page, "article-list-filter-counts", element=sidebar)


def _dialogs(page) -> list[str]:
    seen = []

    def answer(dialog):
        seen.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    return seen


def test_the_change_form_asks_before_leaving_with_unsaved_changes(new_page, log_in, live_server, screenshot, desk):
    page = log_in(new_page(viewport=WIDE), "editor", "pw-editor")
    article = desk["scheduled"]
    url = f"{live_server.url}/admin/articles/article/{article.pk}/change/"
    page.goto(url)
    expect(page.locator("#article_form[data-unsaved-guard=on]")).to_have_count(1)
    seen = _dialogs(page)

    # Unchanged: the breadcrumb leaves without a question.
    page.click(".breadcrumbs a:has-text('Articles')")
    expect(page).to_have_url(f"{live_server.url}/admin/articles/article/")
    assert seen == []

    # Changed: leaving asks, and dismissing the question keeps the editor's text on the page.
    page.goto(url)
    expect(page.locator("#article_form[data-unsaved-guard=on]")).to_have_count(1)
    page.click("#id_title")
    page.keyboard.type(" (updated)")
    page.click(".breadcrumbs a:has-text('Articles')")
    page.wait_for_timeout(300)
    assert seen == ["beforeunload"]
    expect(page).to_have_url(url)
    expect(page.locator("#id_title")).to_have_value("Embargoed until noon (updated)")
    screenshot(page, "change-form-unsaved")

    # Saving never asks.
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert seen == ["beforeunload"]
    assert Article.objects.get(pk=article.pk).title == "Embargoed until noon (updated)"


def test_the_change_form_takes_a_take_down_time_and_refuses_one_before_go_live(
    new_page, log_in, live_server, screenshot, desk
):
    page = log_in(new_page(viewport=WIDE), "editor", "pw-editor")
    article = desk["scheduled"]
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    expect(page.locator("div.form-row.field-unpublish_at")).to_contain_text("Take down at")
    go_live = timezone.localtime(article.published_at)
    page.fill("#id_unpublish_at_0", go_live.strftime("%Y-%m-%d"))
    page.fill("#id_unpublish_at_1", (go_live - timezone.timedelta(hours=1)).strftime("%H:%M:%S"))
    page.click("input[name=_continue]")
    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator(".fieldBox.field-unpublish_at .errorlist")).to_contain_text(
        "The take-down time must come after the publication time."
    )
    screenshot(page, "change-form-take-down-refused")
