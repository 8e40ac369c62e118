"""The story desk in the admin: the story page with its diffs and moves, the queue, one row per story."""

import pytest

from articles.ingest.importer import ImportOptions, import_files
from articles.models import Article, Story, StoryCandidate, StoryPin
from tests.stories.texts import cut_copy, lightly_edited, paragraphs, piece

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/articles/article/"


def imported(*texts):
    files = [(f"{i}.txt", text.encode()) for i, text in enumerate(texts)]
    report = import_files(files, ImportOptions())
    return [Article.objects.get(pk=r.article_id) for r in report.results]


def story_url(story_id) -> str:
    return f"/admin/articles/story/{story_id}/change/"


def test_the_story_page_lists_its_articles_with_a_diff_against_the_lead(client, editor, django_assert_max_num_queries):
    lead, edited, cut = imported(piece(80), lightly_edited(80), cut_copy(80))
    client.force_login(editor)
    with django_assert_max_num_queries(20):
        page = client.get(story_url(lead.story_id))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("data-article=") == 3 and "flag-lead" in html
    assert "<del>" in html and "<ins>" in html and "Differs from the lead" in html
    assert "Daily Courier" in html and "Steppe Review" in html and "3 articles" in html


def test_the_story_list_shows_size_and_outlets_in_constant_queries(client, editor, django_assert_max_num_queries):
    imported(piece(81), lightly_edited(81), piece(82), piece(83))
    client.force_login(editor)
    with django_assert_max_num_queries(12):
        page = client.get("/admin/articles/story/")
    assert page.status_code == 200 and "Steppe Review" in page.content.decode()


def test_editors_choose_the_lead_split_and_move_from_the_story_page(client, editor):
    lead, edited, cut = imported(piece(84), lightly_edited(84), cut_copy(84))
    other = imported(piece(85))[0]
    client.force_login(editor)
    story = lead.story_id
    client.post(story_url(story), {"operation": "lead", "article": edited.pk})
    assert Story.objects.get(pk=story).lead_id == edited.pk
    client.post(story_url(story), {"operation": "split", "article": cut.pk})
    assert Article.objects.get(pk=cut.pk).story_id not in {story, other.story_id}
    client.post(story_url(story), {"operation": "move", "article": lead.pk, "story": f"#{other.story_id}"})
    assert Article.objects.get(pk=lead.pk).story_id == other.story_id
    client.post(story_url(other.story_id), {"operation": "merge", "story": story})
    assert not Story.objects.filter(pk=story).exists()
    assert Story.objects.get(pk=other.story_id).size == 3
    entry = Article.objects.get(pk=lead.pk).history.order_by("-history_id").first()
    assert entry.history_user == editor


def test_a_reporter_sees_the_story_page_but_changes_nothing(client, reporter):
    lead, edited = imported(piece(86), lightly_edited(86))
    client.force_login(reporter)
    page = client.get(story_url(lead.story_id))
    assert page.status_code == 200 and "Change this story" not in page.content.decode()
    response = client.post(story_url(lead.story_id), {"operation": "split", "article": edited.pk}, follow=True)
    assert "Nothing was changed" in response.content.decode()
    assert Article.objects.get(pk=edited.pk).story_id == lead.story_id and not StoryPin.objects.exists()


def queued():
    half = [*paragraphs(12)[:4], *paragraphs(13)[:4]]
    original, mixed = imported(piece(12), piece(0, title="A mixed piece", source="Daily Courier", body=half))
    return original, mixed, StoryCandidate.objects.get()


def test_the_queue_shows_both_texts_and_accepting_joins_the_story(client, editor):
    original, mixed, candidate = queued()
    client.force_login(editor)
    listing = client.get("/admin/articles/storycandidate/").content.decode()
    assert "A mixed piece" in listing
    page = client.get(f"/admin/articles/storycandidate/{candidate.pk}/change/").content.decode()
    assert original.body[:60] in page and "<ins>" in page and "Accept: the same story" in page
    client.post(f"/admin/articles/storycandidate/{candidate.pk}/change/", {"decision": "accept"})
    assert Article.objects.get(pk=mixed.pk).story_id == original.story_id
    assert StoryCandidate.objects.get().status == "accepted"
    assert "A mixed piece" not in client.get("/admin/articles/storycandidate/").content.decode()


def test_rejecting_from_the_queue_keeps_them_apart_and_a_reporter_cannot(client, editor, reporter):
    original, mixed, candidate = queued()
    client.force_login(reporter)
    page = client.get(f"/admin/articles/storycandidate/{candidate.pk}/change/").content.decode()
    assert "Accept: the same story" not in page
    client.post(f"/admin/articles/storycandidate/{candidate.pk}/change/", {"decision": "reject"})
    assert StoryCandidate.objects.get().status == "pending"
    client.force_login(editor)
    data = {"action": "reject", "_selected_action": [candidate.pk], "index": 0}
    client.post("/admin/articles/storycandidate/", data)
    assert StoryCandidate.objects.get().status == "rejected"
    assert Article.objects.get(pk=mixed.pk).story_id != original.story_id


def test_the_article_list_shows_one_row_per_story_with_copies_and_outlets(
    client, editor, django_assert_max_num_queries
):
    lead, edited, cut = imported(piece(87), lightly_edited(87), cut_copy(87))
    other = imported(piece(88))[0]
    client.force_login(editor)
    with django_assert_max_num_queries(25):
        page = client.get(CHANGELIST, {"stories": "one"})
    rows = [article.pk for article in page.context["cl"].result_list]
    assert sorted(rows) == sorted([lead.pk, other.pk])
    html = page.content.decode()
    assert "column-copies" in html and "column-outlets" in html
    by_pk = {a.pk: a for a in page.context["cl"].result_list}
    assert by_pk[lead.pk].story_size == 3 and len(by_pk[lead.pk].story_outlets) == 3
    more = imported(*(piece(seed) for seed in range(89, 95)))
    assert more
    with django_assert_max_num_queries(25):
        client.get(CHANGELIST, {"stories": "one"})
