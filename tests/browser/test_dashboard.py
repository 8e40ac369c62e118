"""The desk's home page in Chromium at 1440 px: numbers, charts drawn on the server, light and dark."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.ingest import ImportOptions, import_document
from articles.models import ImportRecord
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = {"width": 1440, "height": 1000}


def _feed_with(count: int) -> bytes:
    items = b"".join(
        f"<item><title>Quay piece {n}</title><guid>q-{n}</guid>"
        f"<description>&lt;p&gt;The quay story number {n} is told here.&lt;/p&gt;</description></item>".encode()
        for n in range(count)
    )
    empty = b"<item><title>Only a title</title><guid>q-empty</guid></item>"
    return b'<rss version="2.0"><channel><title>Harbour Wire</title>' + items + empty + b"</channel></rss>"


@pytest.fixture
def wide_page(new_page):
    return lambda **options: new_page(viewport=WIDE, **options)


def test_the_dashboard_shows_todays_imports_with_charts(wide_page, log_in, live_server, screenshot, seed_article):
    make_user("editor", "Editor")
    import_document(_feed_with(6), origin="https://wire.example/feed", options=ImportOptions())
    page = log_in(wide_page(), "editor", "pw-editor")
    dashboard = page.locator("#desk-dashboard")
    expect(dashboard).to_be_visible()
    today = page.locator("#desk-periods tbody tr").first
    expect(today.locator("th")).to_have_text("Today")
    expect(today.locator("td").first).to_have_text(str(ImportRecord.objects.count()))
    charts = dashboard.locator("figure.desk-chart svg")
    expect(charts).to_have_count(3)
    for index in range(3):
        box = charts.nth(index).bounding_box()
        assert box["width"] > 300 and box["height"] > 20
    assert dashboard.locator("figure.desk-chart svg rect.chart-series-0").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDE["width"]
    screenshot(page, "dashboard-1440")


def test_the_dashboard_charts_follow_the_dark_theme(wide_page, log_in, live_server, screenshot, seed_article):
    make_user("editor", "Editor")
    fills = {}
    for scheme in ("light", "dark"):
        page = log_in(wide_page(color_scheme=scheme), "editor", "pw-editor")
        label = page.locator("#desk-dashboard .chart-label").first
        fills[scheme] = label.evaluate("node => getComputedStyle(node).fill")
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        fills[scheme + "-background"] = background
        screenshot(page, f"dashboard-{scheme}")
    assert fills["light"] != fills["dark"]
    assert fills["light-background"] != fills["dark-background"]


def test_the_article_list_reads_at_1440_px(wide_page, log_in, live_server, screenshot, make_article, seed_article):
    from articles.models import Article

    make_user("editor", "Editor")
    long_title = "Harbour authority confirms the reopening of the northern quay after a long winter of repairs " * 3
    for n in range(6):
        make_article(f"{long_title} ({n})", status=["draft", "review", "published"][n % 3], source=f"Outlet {n}")
    make_article("Goes live tomorrow", status="published", published_at=timezone.now() + timezone.timedelta(days=1))
    page = log_in(wide_page(), "editor", "pw-editor")
    page.goto(f"{live_server.url}/admin/articles/article/")
    counts = page.locator("ul.status-counts")
    expect(counts).to_contain_text(f"All ({Article.objects.count()})")
    expect(counts).to_contain_text(f"In review ({Article.objects.filter(status='review').count()})")
    titles = page.locator("#result_list .field-headline .clamp-2")
    assert titles.count() == Article.objects.count()
    for index in range(titles.count()):
        lines = titles.nth(index).evaluate(
            "node => node.getBoundingClientRect().height / parseFloat(getComputedStyle(node).lineHeight)"
        )
        assert lines <= 2.05, (index, lines)
    screenshot(page, "article-list-1440")
    shown = page.locator("#changelist .results").bounding_box()
    for column in ("headline", "status_badge", "published", "words", "lang", "updated"):
        box = page.locator(f"#result_list th.column-{column}").bounding_box()
        assert box is not None and box["x"] + box["width"] <= shown["x"] + shown["width"], column
    flags = page.locator("#result_list .field-headline .row-flags .flag-scheduled")
    expect(flags.first).to_be_visible()
    expect(page.locator("#result_list .status-badge").first).to_be_visible()
    screenshot(page, "article-list-1440")
