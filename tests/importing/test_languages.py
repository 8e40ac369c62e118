"""The language each imported article is stored with: the piece's own when it declares one, else its text's."""

import json

import pytest

from articles.models import Article, ImportRecord
from tests.conftest import REPO
from tests.importing.conftest import piece_text
from tests.ingest.test_language import BROKEN, fixture_texts

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "es", "ro", "ru"])
def test_an_imported_piece_is_stored_in_the_language_its_text_is_written_in(
    write_piece, pieces_dir, run_import, language
):
    titles, paragraphs = fixture_texts(language)
    broken, whole = BROKEN[language]
    write_piece("piece.txt", piece_text(titles[0], byline="", paragraphs=[*paragraphs[:2], broken]))
    out, error = run_import(pieces_dir)
    assert error == ""
    article = Article.objects.get()
    assert article.language == language
    assert whole in article.body  # cleaned with its own language's word lists
    assert Article.objects.filter(language=language).count() == 1


def test_the_russian_piece_in_cp1251_is_stored_as_russian(pieces_dir, run_import):
    data = (REPO / "tests" / "fixtures" / "pieces" / "russian_cp1251.txt").read_bytes()
    (pieces_dir / "russian.txt").write_bytes(data)
    out, error = run_import(pieces_dir)
    assert error == ""
    article = Article.objects.get()
    assert (article.language, article.title) == ("ru", "Экспорт зерна через порт вырос вдвое")
    assert "Decoded as" in " ".join(ImportRecord.objects.get().warnings)


def test_a_language_the_feed_declares_wins_over_the_one_its_text_reads_as(pieces_dir, run_import):
    titles, paragraphs = fixture_texts("es")
    lines = [
        {"title": titles[0], "body": "\n\n".join(paragraphs), "id": "a", "source": "Diario", "language": "pt-BR"},
        {"title": titles[1], "body": "\n\n".join(paragraphs[1:]), "id": "b", "source": "Diario"},
    ]
    (pieces_dir / "items.jsonl").write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    out, error = run_import(pieces_dir, "--pattern", "*.jsonl")
    assert error == ""
    languages = dict(Article.objects.values_list("external_id", "language"))
    assert languages == {"a": "pt-br", "b": "es"}


def test_a_piece_too_short_to_tell_keeps_the_default_language(write_piece, pieces_dir, run_import):
    write_piece("short.txt", "Tokayev\nTokayev\nAstana 2026.\n")
    run_import(pieces_dir)
    assert Article.objects.get().language == "en"


def test_a_piece_in_a_language_without_word_lists_is_imported_unrepaired_with_a_warning(pieces_dir, run_import):
    line = {
        "title": "Serikali yatangaza bei mpya",
        "body": "Seri-kali ilitangaza Jumatatu kwamba bei ya mafuta itapanda mwezi ujao.",
        "id": "sw-1",
        "source": "Habari",
        "language": "sw",
    }
    (pieces_dir / "items.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    run_import(pieces_dir, "--pattern", "*.jsonl")
    article = Article.objects.get()
    assert article.language == "sw" and "Seri-kali" in article.body
    warnings = ImportRecord.objects.get().warnings
    assert "No word lists for the language “sw”: words broken by stray hyphens were not repaired." in warnings


def test_a_declared_language_that_is_no_tag_gives_way_to_the_texts_with_a_warning(pieces_dir, run_import):
    titles, paragraphs = fixture_texts("ro")
    line = {"title": titles[0], "body": "\n\n".join(paragraphs), "id": "x", "source": "Ziarul", "language": "Romanian!"}
    (pieces_dir / "items.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    run_import(pieces_dir, "--pattern", "*.jsonl")
    assert Article.objects.get().language == "ro"
    assert (
        "The language “Romanian!” is not a language tag; the text reads as “ro”." in ImportRecord.objects.get().warnings
    )
