"""The article's change form: "View on site" opens the public page or the desk's preview, at a bounded cost."""

import pytest

from tests.admin.conftest import change_url

pytestmark = pytest.mark.django_db


def test_the_change_form_of_a_draft_offers_its_preview_as_view_on_site(login, editor, seed_article):
    assert seed_article.status != "published"
    html = login(editor).get(change_url(seed_article)).content.decode()
    assert "View on site" in html and f'href="/preview/articles/{seed_article.pk}/"' in html


def test_the_change_form_of_a_published_article_offers_its_public_page(login, editor, seed_article):
    from articles.workflow import publish

    publish([seed_article], user=editor)
    seed_article.refresh_from_db()
    html = login(editor).get(change_url(seed_article)).content.decode()
    assert f'href="{seed_article.get_absolute_url()}"' in html


# Three of them are the read-only inlines of the article's quotes, its tag suggestions and its topic suggestions
# (with their topics and deciders), one query each however many.
@pytest.mark.parametrize(("authors", "queries"), [(["Ann Lee"], 15), (["Ann Lee", "Bo Chan", "Cy Diaz"], 17)])
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
