"""An article's preview, as readers will see it with a banner, for the desk only."""

import pytest
from django.utils import timezone

from articles.models import Article
from tests.admin.conftest import change_url
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def preview_url(article) -> str:
    return f"/admin/articles/article/{article.pk}/preview/"


def test_an_editor_previews_a_draft_as_readers_will_see_it(client, editor, make_article):
    article = make_article("Quay reopens", body="First paragraph.\n\nSecond <b>paragraph</b>.", authors=["Ann Lee"])
    client.force_login(editor)
    response = client.get(preview_url(article))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<strong>Preview</strong> — Draft." in page and "Readers cannot see this article yet." in page
    assert "<h1>Quay reopens</h1>" in page and "By Ann Lee" in page
    assert "<p>First paragraph.</p>" in page and "Second &lt;b&gt;paragraph&lt;/b&gt;." in page
    assert "no-store" in response["Cache-Control"] and response["X-Robots-Tag"] == "noindex, nofollow"
    assert preview_url(article) in client.get(change_url(article)).content.decode()


def test_a_scheduled_article_says_when_it_goes_live(client, editor, make_article):
    tomorrow = timezone.now() + timezone.timedelta(days=1)
    article = make_article("Tomorrow", status=Article.Status.PUBLISHED, published_at=tomorrow)
    client.force_login(editor)
    page = client.get(preview_url(article)).content.decode()
    assert "scheduled for" in page and "Readers cannot see this article yet." in page


def test_the_preview_is_for_the_desk_only(client, make_article):
    article = make_article("Not yet", body="Secret plans.")
    response = client.get(preview_url(article))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(make_user("visitor"))  # staff, but with no permission on articles
    response = client.get(preview_url(article))
    assert response.status_code == 403 and b"Secret plans" not in response.content


def test_an_unknown_article_is_not_found(client, editor):
    client.force_login(editor)
    assert client.get("/admin/articles/article/999999/preview/").status_code == 404
    assert client.get("/admin/articles/article/abc/preview/").status_code == 404
