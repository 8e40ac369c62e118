"""The language in the API: an import's detected language shows on its article; a language sent is kept."""

import pytest

from articles.models import Article
from tests.ingest.test_language import fixture_texts

pytestmark = pytest.mark.django_db


def piece_text(title: str, *, byline: str = "", paragraphs: list[str], source: str = "Wire") -> str:
    """Return a piece in the seed's shape (the importing tests' builder, kept here: a conftest is not imported)."""
    lines = [title, title, *([byline] if byline else []), *paragraphs, f"The post {title} appeared first on {source}."]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("language", ["en", "es", "ro", "ru"])
def test_a_piece_imported_through_the_api_shows_its_detected_language(client_for, editor, language):
    titles, paragraphs = fixture_texts(language)
    text = piece_text(titles[1], byline="", paragraphs=paragraphs)
    response = client_for(editor).post("/api/v1/imports/", {"text": text, "source": "Wire"}, format="json")
    assert response.status_code == 201, response.json()
    data = client_for(editor).get(f"/api/v1/articles/{response.json()['article_id']}/").json()
    assert data["language"] == language


def test_a_new_article_without_a_language_gets_the_one_its_text_is_written_in(client_for, editor):
    titles, paragraphs = fixture_texts("ro")
    payload = {"title": titles[0], "body": "\n\n".join(paragraphs)}
    response = client_for(editor).post("/api/v1/articles/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["language"] == "ro" and Article.objects.get().language == "ro"


def test_a_language_the_client_sends_wins_over_the_text(client_for, editor):
    titles, paragraphs = fixture_texts("es")
    payload = {"title": titles[0], "body": "\n\n".join(paragraphs), "language": "pt"}
    response = client_for(editor).post("/api/v1/articles/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["language"] == "pt"


def test_a_new_article_too_short_to_tell_keeps_the_default_language(client_for, editor):
    response = client_for(editor).post("/api/v1/articles/", {"title": "Tokayev", "body": "Astana."}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["language"] == "en"
