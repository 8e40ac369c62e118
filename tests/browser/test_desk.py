"""The desk in a real browser: find, fix, classify, publish; roles; the import page; edit conflicts."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.conftest import SEED
from tests.conftest import SEED_SHAPED_TRUTH

SEED_TITLE = SEED_SHAPED_TRUTH["title"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def choose_in_autocomplete(page, field_selector: str, text: str):
    page.click(f"{field_selector} .select2-selection")
    page.fill(".select2-container--open .select2-search__field", text)
    page.click(f".select2-results__option:has-text('{text}')")


def test_an_editor_finds_the_seed_by_its_body_fixes_it_classifies_it_and_publishes_it(
    page, log_in, live_server, screenshot, editor, seed_article
):
    call_command("loaddata", "iptc_media_topics", verbosity=0)
    log_in(page, "editor", "pw-editor")

    page.goto(f"{live_server.url}/admin/articles/article/")
    page.fill("#searchbar", "Hallam")
    page.press("#searchbar", "Enter")
    expect(page.locator("#result_list")).to_contain_text(SEED_TITLE)
    expect(page.locator("th.column-match")).to_be_visible()
    screenshot(page, "01-article-list-search")

    page.click(f"#result_list a:has-text('{SEED_TITLE}')")
    panel = page.locator("#provenance")
    expect(panel).to_be_visible()
    expect(panel.locator("table.cleaning-edits")).to_contain_text("broken-word")
    expect(panel.locator("table.cleaning-edits")).to_contain_text("Ba-ltic")
    diff = panel.locator(".inline-diff")
    expect(diff).to_be_visible()
    expect(diff.locator(".diff-change del").first).to_be_visible()
    assert diff.bounding_box()["height"] < 2000, "one flowing text, not a tall side-by-side table"
    screenshot(page, "02-article-change-form")
    screenshot(page, "03-provenance-panel", element=panel)

    body = page.locator("#id_body")
    body.fill(body.input_value().replace("Hallam", "Hallem"))
    choose_in_autocomplete(page, ".field-topics", "Politics")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.select_option("select[name='CHANGE_FORM-action']", "publish")
    page.click("#changeform-actions button, .actions button[type=submit]")
    expect(page.locator(".messagelist")).to_contain_text("Published 1 article.")
    screenshot(page, "04-article-published")

    page.click("a.historylink")
    history = page.locator("#change-history")
    expect(history).to_contain_text("Hallem")
    expect(history).to_contain_text("editor")
    expect(history).to_contain_text("published")
    screenshot(page, "05-article-history")

    article = Article.objects.get(pk=seed_article.pk)
    assert article.status == "published" and "Hallem" in article.body
    assert [t.iptc_code for t in article.topics.all()] == ["medtop:11000000"]

    api = page.request.get(f"{live_server.url}/api/v1/articles/{article.pk}/")
    assert api.status == 200, api.text()
    payload = api.json()
    assert payload["status"] == "published" and "Hallem" in payload["body"]


def test_a_reporter_is_not_offered_publish_and_a_direct_post_is_refused(
    page, log_in, live_server, screenshot, reporter, make_article
):
    draft = make_article("A reporter's draft")
    log_in(page, "reporter", "pw-reporter")
    page.goto(f"{live_server.url}/admin/articles/article/")
    options = page.locator("select[name=action] option").all_inner_texts()
    assert "Send selected articles to review" in options
    assert not [o for o in options if "Publish" in o or "Delete" in o]
    screenshot(page, "06-reporter-article-list")

    page.goto(f"{live_server.url}/admin/articles/article/{draft.pk}/change/")
    expect(page.locator("select[name='CHANGE_FORM-action'] option[value=publish]")).to_have_count(0)

    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        f"{live_server.url}/admin/articles/article/",
        form={"csrfmiddlewaretoken": token, "action": "publish", "index": "0", "_selected_action": str(draft.pk)},
    )
    assert response.ok and "No action selected." in response.text()
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.revision == 1


def test_an_editor_uploads_a_file_on_the_import_page_and_sees_the_outcome(
    page, log_in, live_server, screenshot, editor
):
    log_in(page, "editor", "pw-editor")
    page.goto(f"{live_server.url}/admin/articles/article/")
    page.click("a:has-text('Import pieces')")
    page.set_input_files("input[name=files]", str(SEED))
    page.click("input[type=submit][value=Import]")
    row = page.locator("tr.import-result")
    expect(row).to_contain_text(f"admin upload: {SEED.name}")
    expect(row).to_contain_text("created")
    screenshot(page, "07-import-outcome")
    row.locator(f"a:has-text('{SEED_TITLE}')").click()
    expect(page.locator("#provenance")).to_contain_text(f"admin upload: {SEED.name}")


def test_an_edit_conflict_between_two_editors_loses_nothing(
    new_page, log_in, live_server, screenshot, editor, superuser, make_article
):
    article = make_article("Contested story", body="The first version of the text.")
    url = f"{live_server.url}/admin/articles/article/{article.pk}/change/"
    mine, theirs = log_in(new_page(), "editor", "pw-editor"), log_in(new_page(), "root", "pw-root")
    mine.goto(url)
    theirs.goto(url)

    theirs.fill("#id_body", "Their correction of the text.")
    theirs.click("input[name=_continue]")
    expect(theirs.locator(".messagelist")).to_contain_text("was changed successfully")

    mine.fill("#id_title", "My better headline")
    mine.click("input[name=_continue]")
    expect(mine.locator(".errornote").first).to_be_visible()
    expect(mine.locator("#article_form")).to_contain_text("root saved this article")
    expect(mine.locator("#id_title")).to_have_value("My better headline")
    screenshot(mine, "08-edit-conflict")
    assert Article.objects.get(pk=article.pk).title == "Contested story"

    mine.click("input[name=_continue]")
    expect(mine.locator(".messagelist")).to_contain_text("was changed successfully")
    final = Article.objects.get(pk=article.pk)
    assert final.title == "My better headline" and final.revision == 3
