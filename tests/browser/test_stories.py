"""The story desk in a real browser: a story's articles side by side with their diffs, choosing the lead and
splitting; the "possibly the same story" queue with both texts, and accepting a match."""

import pytest
from playwright.sync_api import expect

from articles.ingest.importer import ImportOptions, import_files
from articles.models import Article, StoryCandidate
from tests.stories.texts import cut_copy, lightly_edited, paragraphs, piece

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def imported(*texts):
    files = [(f"{i}.txt", text.encode()) for i, text in enumerate(texts)]
    report = import_files(files, ImportOptions())
    return [Article.objects.get(pk=r.article_id) for r in report.results]


def test_an_editor_reads_a_story_side_by_side_chooses_the_lead_and_splits_a_copy(
    page, log_in, live_server, screenshot, editor
):
    lead, edited, cut = imported(piece(90), lightly_edited(90), cut_copy(90))
    log_in(page, "editor", "pw-editor")
    page.goto(f"{live_server.url}/admin/articles/article/?stories=one")
    expect(page.locator("th.column-copies")).to_be_visible()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    screenshot(page, "stories-01-one-row-per-story")

    page.click("td.field-copies a")
    cards = page.locator("article.story-article")
    expect(cards).to_have_count(3)
    expect(page.locator("article.story-lead")).to_contain_text(lead.title)
    expect(page.locator(f"article[data-article='{edited.pk}'] .diff-change ins").first).to_be_visible()
    boxes = [cards.nth(i).bounding_box() for i in range(2)]
    assert abs(boxes[0]["y"] - boxes[1]["y"]) < 5, "the lead and a copy side by side"
    screenshot(page, "stories-02-story-page")

    page.check(f"#pick-{edited.pk}")
    page.click("button[value=lead]")
    expect(page.locator(".messagelist")).to_contain_text("is now the lead")
    expect(page.locator(f"article.story-lead[data-article='{edited.pk}']")).to_be_visible()

    page.check(f"#pick-{cut.pk}")
    page.click("button[value=split]")
    expect(page.locator(".messagelist")).to_contain_text("Split 1 article(s)")
    expect(cards).to_have_count(2)
    screenshot(page, "stories-03-after-split")
    assert Article.objects.get(pk=cut.pk).story_id != Article.objects.get(pk=lead.pk).story_id


def test_an_editor_accepts_a_possible_match_from_the_queue(page, log_in, live_server, screenshot, editor):
    half = [*paragraphs(12)[:4], *paragraphs(13)[:4]]
    original, mixed = imported(piece(12), piece(0, title="A mixed piece", source="Daily Courier", body=half))
    log_in(page, "editor", "pw-editor")
    page.goto(f"{live_server.url}/admin/articles/storycandidate/")
    expect(page.locator("#result_list")).to_contain_text("A mixed piece")
    screenshot(page, "stories-04-queue")

    page.click("#result_list a:has-text('A mixed piece')")
    pair = page.locator(".story-pair article")
    expect(pair).to_have_count(2)
    expect(pair.nth(0)).to_contain_text(original.title)
    expect(pair.nth(1).locator(".diff-change").first).to_be_visible()
    boxes = [pair.nth(i).bounding_box() for i in range(2)]
    assert abs(boxes[0]["y"] - boxes[1]["y"]) < 5 and boxes[1]["x"] > boxes[0]["x"] + 200
    screenshot(page, "stories-05-queue-compare")

    page.click("button[value=accept]")
    expect(page.locator(".messagelist")).to_contain_text("Accepted: it joined story")
    assert StoryCandidate.objects.get().status == "accepted"
    assert Article.objects.get(pk=mixed.pk).story_id == original.story_id
