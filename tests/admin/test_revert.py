"""Restoring an old version of an article: the wording comes back, the status stays unless the editor asks for the
old one, and the page's trail leads back to the article and its history."""

import pytest
from django.utils import timezone

from articles.models import Article
from tests.admin.conftest import form_data, messages_of, revert_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduled(make_article):
    """An article first saved as a draft, then scheduled to go live tomorrow with new wording."""
    article = make_article("Harbour plan", body="First wording.")
    article.status, article.published_at = Article.Status.PUBLISHED, timezone.now() + timezone.timedelta(days=1)
    article.body = "Second wording."
    article.save()
    return article


def test_restoring_an_old_draft_keeps_a_scheduled_article_scheduled(client, editor, scheduled):
    first = scheduled.history.get(status=Article.Status.DRAFT)
    client.force_login(editor)
    page = client.get(revert_url(scheduled, first))
    form = page.context["adminform"].form
    assert form["status"].value() == Article.Status.PUBLISHED, "the form shows the current status"
    assert "The version being restored was draft" in page.content.decode()
    shown = {name: form[name].value() for name in ("status", "revision")}
    local = timezone.localtime(scheduled.published_at)
    data = form_data(
        scheduled,
        body=first.body,
        status=shown["status"],
        revision=shown["revision"],
        published_at_0=local.strftime("%Y-%m-%d"),
        published_at_1=local.strftime("%H:%M:%S"),
    )
    data = {key: value for key, value in data.items() if not key.startswith("bylines-")}
    response = client.post(revert_url(scheduled, first), data, follow=True)
    assert "was changed successfully" in " ".join(messages_of(response))
    stored = Article.objects.get(pk=scheduled.pk)
    assert stored.body == "First wording."
    assert stored.status == Article.Status.PUBLISHED and stored.is_scheduled
    assert stored.published_at.replace(microsecond=0) == scheduled.published_at.replace(microsecond=0)


def test_the_revert_pages_trail_leads_to_the_articles_the_article_and_its_history(client, editor, scheduled):
    first = scheduled.history.get(status=Article.Status.DRAFT)
    Article.objects.filter(pk=scheduled.pk).update(title="Harbour plan, revised")
    client.force_login(editor)
    page = client.get(revert_url(scheduled, first)).content.decode()
    trail = page.split('<div class="breadcrumbs">')[1].split("</div>")[0]
    assert '<a href="/admin/articles/article/">Articles</a>' in trail
    assert "Historical" not in trail
    assert f'<a href="/admin/articles/article/{scheduled.pk}/change/">Harbour plan, revised</a>' in trail
    assert f'<a href="/admin/articles/article/{scheduled.pk}/history/">History</a>' in trail
    assert client.get(f"/admin/articles/article/{scheduled.pk}/history/").status_code == 200
