"""Hostile search input on the database of the run: never an SQL error, never a 500, whatever the text."""

import pytest
from rest_framework.test import APIClient

from articles.models import Article
from tests.search.test_query import HOSTILE

LIST = "/api/v1/articles/"


@pytest.fixture
def published(make_article):
    return make_article(
        "Harbour near the border", status=Article.Status.PUBLISHED, body="He said it near the border: a AND b."
    )


@pytest.mark.parametrize("text", HOSTILE)
def test_the_queryset_answers_any_search_text(published, text):
    for found in (Article.objects.search(text), Article.objects.search(text, ranked=False)):
        assert set(found) <= {published}
        found.full_text.attach_ranks_and_snippets(list(found))


@pytest.mark.parametrize("text", [text for text in HOSTILE if "\x00" not in text])  # a NUL is a 400 before
@pytest.mark.parametrize("ordering", ["relevance", "-published_at"])
def test_the_api_answers_any_search_text_with_a_list(published, text, ordering):
    response = APIClient().get(LIST, {"search": text, "ordering": ordering})
    assert response.status_code == 200, response.content[:300]
    assert {row["id"] for row in response.json()["results"]} <= {published.pk}


def test_syntax_characters_are_searched_as_the_words_they_hold(published):
    for text in ["NEAR(border", "border:*", "^harbour", "a AND b", "(border) OR (nothing"]:
        assert list(Article.objects.search(text)) == [published], text
