"""The desk's preview of an article (the public page's own template, with a banner), linked from its change form."""

import pytest
from django.utils import timezone

from articles.models import Article
from tests.admin.conftest import change_url
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def preview_url(article) -> str:
    return f"/preview/articles/{article.pk}/"


def test_an_editor_previews_a_draft_as_readers_will_see_it(client, editor, make_article):
    article = make_article("Quay reopens", body="First paragraph.\n\nSecond <b>paragraph</b>.", authors=["Ann Lee"])
    client.force_login(editor)
    response = client.get(preview_url(article))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Preview: this article is draft; readers cannot see it." in page
    assert "<h1>Quay reopens</h1>" in page and '<span class="author">Ann Lee</span>' in page
    assert "<p>First paragraph.</p>" in page and "Second &lt;b&gt;paragraph&lt;/b&gt;." in page
    assert "no-store" in response["Cache-Control"] and response["X-Robots-Tag"] == "noindex"
    assert preview_url(article) in client.get(change_url(article)).content.decode()


def test_a_scheduled_article_says_when_it_goes_live(client, editor, make_article):
    tomorrow = timezone.now() + timezone.timedelta(days=1)
    article = make_article("Tomorrow", status=Article.Status.PUBLISHED, published_at=tomorrow)
    client.force_login(editor)
    page = client.get(preview_url(article)).content.decode()
    assert "scheduled for" in page and "readers cannot see it." in page


def test_the_preview_is_for_the_desk_only(client, make_article):
    article = make_article("Not yet", body="Secret plans.")
    response = client.get(preview_url(article))
    assert response.status_code in {302, 403} and b"Secret plans" not in response.content
    client.force_login(make_user("visitor"))  # staff, but with no permission on articles
    response = client.get(preview_url(article))
    assert response.status_code == 403 and b"Secret plans" not in response.content


def test_an_unknown_article_is_not_found(client, editor):
    client.force_login(editor)
    assert client.get("/preview/articles/999999/").status_code == 404
