"""The article's change form: no way out to a public page the product does not have yet, and a bounded cost."""

import pytest

from tests.admin.conftest import change_url

pytestmark = pytest.mark.django_db


def test_the_change_form_offers_no_view_on_site_link(login, editor, seed_article):
    html = login(editor).get(change_url(seed_article)).content.decode()
    assert "View on site" not in html and "viewsitelink" not in html


def test_the_history_form_offers_no_view_on_site_link(login, editor, seed_article):
    version = seed_article.history.first()
    url = f"/admin/articles/article/{seed_article.pk}/history/{version.history_id}/"
    html = login(editor).get(url).content.decode()
    assert "View on site" not in html and "viewsitelink" not in html


def test_the_admins_view_on_site_address_leads_nowhere_for_an_article(login, editor, seed_article):
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(seed_article)
    response = login(editor).get(f"/admin/r/{content_type.pk}/{seed_article.pk}/")
    assert response.status_code == 404


@pytest.mark.parametrize(("authors", "queries"), [(["Ann Lee"], 12), (["Ann Lee", "Bo Chan", "Cy Diaz"], 14)])
def test_the_change_form_fetches_the_article_once_and_each_byline_with_its_author(
    login, editor, seed_article, authors, queries, django_assert_max_num_queries
):
    from articles.models import Author, Byline

    seed_article.bylines.all().delete()
    for position, name in enumerate(authors):
        Byline.objects.create(article=seed_article, author=Author.objects.create(name=name), position=position)
    client = login(editor)
    client.get(change_url(seed_article))  # permissions are cached by the first request
    with django_assert_max_num_queries(queries) as captured:
        response = client.get(change_url(seed_article))
    assert response.status_code == 200 and 'id="provenance"' in response.content.decode()
    article_rows = [q for q in captured.captured_queries if q["sql"].startswith('SELECT "articles_article"."id"')]
    assert len(article_rows) == 1, [q["sql"][:120] for q in article_rows]
