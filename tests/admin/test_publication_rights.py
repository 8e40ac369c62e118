"""Publishing needs the publish permission through every admin path: the form, the history revert, the actions.

A reporter creates and edits; whatever they press, an article's publication (its status into or out of published,
the time of a published or scheduled article) stays as an editor left it.
"""

import pytest
from django.contrib.auth.models import Permission, User
from django.utils import timezone

from articles import workflow
from articles.models import Article
from tests.admin.conftest import change_url, form_data, messages_of, read_only_inline_management, revert, revert_url

pytestmark = pytest.mark.django_db

Status = Article.Status
REFUSAL = "needs the “publish articles” permission"


def errors_of(response) -> str:
    return " ".join(str(e) for e in response.context["errors"])


@pytest.fixture
def taken_back(make_article, editor):
    """An article an editor published and then took back to draft; returns (article, its published version)."""
    article = make_article("Taken back", body="A story that was live for a while.")
    workflow.publish([article], user=editor)
    published_version = article.history.get(status=Status.PUBLISHED)
    workflow.unpublish([Article.objects.get(pk=article.pk)], user=editor)
    assert Article.objects.get(pk=article.pk).status == Status.DRAFT
    return article, published_version


def test_a_reporter_reverting_to_a_published_version_is_refused_and_the_article_stays_a_draft(
    login, reporter, taken_back
):
    article, published_version = taken_back
    entries = article.history.count()
    response = revert(login(reporter), article, published_version)
    assert response.status_code == 200
    assert REFUSAL in errors_of(response) and "You do not have permission to publish articles." in errors_of(response)
    stored = Article.objects.get(pk=article.pk)
    assert stored.status == Status.DRAFT
    assert article.history.count() == entries


def test_an_editor_reverting_to_a_published_version_publishes_it_again(login, editor, taken_back):
    article, published_version = taken_back
    response = revert(login(editor), article, published_version)
    assert "was changed successfully" in " ".join(messages_of(response))
    stored = Article.objects.get(pk=article.pk)
    assert stored.status == Status.PUBLISHED and stored.published_at is not None
    assert article.history.first().history_user.username == "editor"


def test_a_reporter_reverting_a_published_article_to_a_draft_version_is_refused(login, reporter, make_article, editor):
    article = make_article("Live now", body="Draft wording.")
    draft_version = article.history.get()
    workflow.publish([article], user=editor)
    response = revert(login(reporter), article, draft_version)
    assert "You do not have permission to unpublish articles." in errors_of(response)
    assert Article.objects.get(pk=article.pk).status == Status.PUBLISHED


def test_a_reporter_restores_old_wording_when_publication_does_not_change(login, reporter, make_article):
    article = make_article("Wording", body="First wording.")
    first = article.history.get()
    article.body = "Second wording."
    article.save()
    response = revert(login(reporter), article, first)
    assert "was changed successfully" in " ".join(messages_of(response))
    assert Article.objects.get(pk=article.pk).body == "First wording."


def test_restoring_a_version_needs_the_change_permission_not_only_view(client, make_article):
    article = make_article("Look, do not touch", body="First wording.")
    first = article.history.get()
    article.body = "Second wording."
    article.save()
    viewer = User.objects.create_user("viewer", password="pw-viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(viewer)
    assert client.get(revert_url(article, first)).status_code == 200
    response = client.post(revert_url(article, first), form_data(article, body="First wording."))
    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).body == "Second wording."


def test_a_reporter_may_not_reschedule_a_scheduled_article_through_the_form(login, client, reporter, make_article):
    later = timezone.now() + timezone.timedelta(days=2)
    article = make_article("Embargoed", status=Status.PUBLISHED, published_at=later)
    login(reporter)
    sooner = timezone.localtime(later - timezone.timedelta(days=1))
    response = client.post(change_url(article), form_data(article, published_at_0=sooner.strftime("%Y-%m-%d")))
    assert "You do not have permission to reschedule published articles." in errors_of(response)
    assert Article.objects.get(pk=article.pk).published_at == later


@pytest.mark.parametrize("status", [Status.REVIEW, Status.ARCHIVED, Status.DRAFT])
def test_a_reporter_may_not_take_a_published_article_off_the_site_through_the_form(
    login, client, reporter, make_article, status
):
    article = make_article("Live", status=Status.PUBLISHED)
    login(reporter)
    response = client.post(change_url(article), form_data(article, status=status))
    assert REFUSAL in errors_of(response)
    assert Article.objects.get(pk=article.pk).status == Status.PUBLISHED


def test_a_reporter_may_not_create_a_published_article(login, client, reporter):
    login(reporter)
    data = {
        "title": "Straight to print",
        "slug": "straight-to-print",
        "summary": "",
        "body": "Body.",
        "status": "published",
        "published_at_0": "",
        "published_at_1": "",
        "language": "en",
        "external_id": "",
        "bylines-TOTAL_FORMS": 0,
        "bylines-INITIAL_FORMS": 0,
        "bylines-MIN_NUM_FORMS": 0,
        "bylines-MAX_NUM_FORMS": 1000,
        **read_only_inline_management(),
    }
    response = client.post("/admin/articles/article/add/", data)
    assert REFUSAL in errors_of(response)
    assert not Article.objects.exists()


def test_a_reporter_saving_a_published_article_keeps_its_exact_publication_time(login, client, reporter, make_article):
    article = make_article("Live", status=Status.PUBLISHED)
    stored_time = Article.objects.get(pk=article.pk).published_at
    assert stored_time.microsecond  # the form shows whole seconds only
    login(reporter)
    client.post(change_url(article), form_data(article, body="Corrected."), follow=True)
    article.refresh_from_db()
    assert article.body == "Corrected." and article.published_at == stored_time


def test_a_reporter_marking_a_published_article_as_a_duplicate_is_refused(login, post_action, reporter, make_article):
    original, live = make_article("Original"), make_article("Live copy", status=Status.PUBLISHED)
    login(reporter)
    response = post_action("mark_as_duplicate", live, confirm="yes", original=original.pk)
    assert messages_of(response) == ["Nothing was changed: You do not have permission to archive published articles."]
    live.refresh_from_db()
    assert live.status == Status.PUBLISHED and live.duplicate_of is None


def test_restoring_a_deleted_article_from_its_history_needs_the_delete_permission(
    login, reporter, editor, make_article
):
    article = make_article("Spiked", body="A story an editor decided against.")
    url = revert_url(article, article.history.get())
    pk = article.pk
    stand_in = make_article("Stand-in", body="Other text.")
    data = form_data(stand_in, title="Spiked", slug="spiked", body="A story an editor decided against.", revision=1)
    data = {key: value for key, value in data.items() if not key.startswith("bylines-")}
    article.delete()
    client = login(reporter)
    assert client.get(url).status_code == 200
    assert client.post(url, data).status_code == 403
    assert not Article.objects.filter(pk=pk).exists()
    client.force_login(editor)
    response = client.post(url, data, follow=True)
    assert "was changed successfully" in " ".join(messages_of(response))
    assert Article.objects.get(pk=pk).title == "Spiked"
