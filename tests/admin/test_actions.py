"""Workflow actions in the article list and on the article page: who may run them and what they report."""

import pytest

from articles.models import Article
from tests.admin.conftest import CHANGELIST, change_url, messages_of

pytestmark = pytest.mark.django_db

Status = Article.Status


def action_names(response) -> set[str]:
    form = response.context["action_form"]
    return {name for name, _label in form.fields["action"].choices if name}


def test_an_editor_is_offered_every_workflow_action(login, editor):
    response = login(editor).get(CHANGELIST)
    assert {"publish", "unpublish", "send_to_review", "archive", "mark_as_duplicate", "delete_selected"} <= (
        action_names(response)
    )


def test_a_reporter_is_not_offered_publish_unpublish_or_delete(login, reporter):
    response = login(reporter).get(CHANGELIST)
    names = action_names(response)
    assert {"send_to_review", "archive", "mark_as_duplicate"} <= names
    assert not names & {"publish", "unpublish", "delete_selected"}
    assert b'value="publish"' not in response.content


def test_an_editor_publishes_the_selection_and_is_told_how_many_changed(login, post_action, editor, make_article):
    drafts = [make_article(f"Draft {n}") for n in range(3)]
    login(editor)
    response = post_action("publish", *drafts)
    assert "Published 3 articles." in messages_of(response)
    assert set(Article.objects.values_list("status", flat=True)) == {Status.PUBLISHED}
    assert all(a.history.first().history_user == editor for a in Article.objects.all())


def test_publishing_reports_articles_that_were_already_published(login, post_action, editor, make_article):
    draft, live = make_article("Draft"), make_article("Live", status=Status.PUBLISHED)
    login(editor)
    response = post_action("publish", draft, live)
    assert messages_of(response) == ["Published 1 article. 1 left as it was (already in that state or not eligible)."]


def test_a_direct_post_of_publish_by_a_reporter_changes_nothing(login, post_action, reporter, make_article):
    draft = make_article("Not yours to publish")
    login(reporter)
    response = post_action("publish", draft)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.revision == 1
    assert response.status_code == 200
    assert not any("Published" in message for message in messages_of(response))


def test_a_direct_post_of_delete_by_a_reporter_deletes_nothing(login, post_action, reporter, make_article):
    article = make_article("Keep me")
    login(reporter)
    post_action("delete_selected", article, post="yes")
    assert Article.objects.filter(pk=article.pk).exists()


def test_send_to_review_moves_drafts_and_leaves_published_articles(login, post_action, reporter, make_article):
    draft, live = make_article("Draft"), make_article("Live", status=Status.PUBLISHED)
    login(reporter)
    response = post_action("send_to_review", draft, live)
    assert messages_of(response)[0].startswith("Sent to review 1 article.")
    assert Article.objects.get(pk=draft.pk).status == Status.REVIEW
    assert Article.objects.get(pk=live.pk).status == Status.PUBLISHED


def test_an_editor_unpublishes_a_published_article(login, post_action, editor, make_article):
    live = make_article("Live", status=Status.PUBLISHED)
    login(editor)
    response = post_action("unpublish", live)
    assert messages_of(response) == ["Unpublished 1 article."]
    assert Article.objects.get(pk=live.pk).status == Status.DRAFT


def test_a_reporter_archives_drafts(login, post_action, reporter, make_article):
    draft = make_article("Old draft")
    login(reporter)
    assert messages_of(post_action("archive", draft)) == ["Archived 1 article."]
    assert Article.objects.get(pk=draft.pk).status == Status.ARCHIVED


def test_a_reporter_may_not_archive_a_published_article_and_is_told_why(login, post_action, reporter, make_article):
    draft, live = make_article("Draft"), make_article("Live", status=Status.PUBLISHED)
    login(reporter)
    response = post_action("archive", draft, live)
    assert messages_of(response) == ["Nothing was changed: You do not have permission to archive published articles."]
    assert Article.objects.get(pk=draft.pk).status == Status.DRAFT
    assert Article.objects.get(pk=live.pk).status == Status.PUBLISHED


def test_mark_as_duplicate_asks_for_the_original_first(login, post_action, editor, make_article):
    copy = make_article("Copy")
    login(editor)
    response = post_action("mark_as_duplicate", copy)
    assert response.templates[0].name == "admin/articles/article/mark_duplicate.html"
    assert b"admin-autocomplete" in response.content and b"Copy" in response.content
    assert Article.objects.get(pk=copy.pk).duplicate_of is None


def test_mark_as_duplicate_archives_the_selection_as_duplicates_of_the_original(
    login, post_action, editor, make_article
):
    original, first, second = make_article("Original"), make_article("Copy 1"), make_article("Copy 2")
    login(editor)
    response = post_action("mark_as_duplicate", first, second, confirm="yes", original=original.pk)
    assert messages_of(response) == ["Marked as duplicates of “Original”: 2 articles."]
    for copy in (first, second):
        copy.refresh_from_db()
        assert copy.duplicate_of == original and copy.status == Status.ARCHIVED


def test_mark_as_duplicate_refuses_a_cycle_with_a_message(login, post_action, editor, make_article):
    first = make_article("First")
    second = make_article("Second", duplicate_of=first)
    login(editor)
    response = post_action("mark_as_duplicate", first, confirm="yes", original=second.pk)
    assert messages_of(response) == [
        "Nothing was changed: “Second” is itself a duplicate of one of these articles; pick the original."
    ]
    assert Article.objects.get(pk=first.pk).duplicate_of is None


def test_mark_as_duplicate_without_a_choice_shows_the_page_again_with_the_reason(
    login, post_action, editor, make_article
):
    copy = make_article("Copy")
    login(editor)
    response = post_action("mark_as_duplicate", copy, confirm="yes")
    assert b"Choose the original article." in response.content


def test_an_editor_publishes_from_the_article_page(login, client, editor, make_article):
    draft = make_article("From the page")
    login(editor)
    page = client.get(change_url(draft))
    assert b'value="publish"' in page.content
    response = client.post(
        change_url(draft),
        {"CHANGE_FORM-action": "publish", "_selected_action": draft.pk, "index": 0},
        follow=True,
    )
    assert "Published 1 article." in messages_of(response)
    assert Article.objects.get(pk=draft.pk).status == Status.PUBLISHED


def test_the_article_page_offers_a_reporter_no_publish_action(login, client, reporter, make_article):
    draft = make_article("From the page")
    page = login(reporter).get(change_url(draft))
    assert b'value="send_to_review"' in page.content
    assert b'value="publish"' not in page.content
