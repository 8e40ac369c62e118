"""Each piece's language: read from its text when it declares none, and its own language's word lists clean it."""

from pathlib import Path

import pytest

from articles.ingest.clean import clean_text
from articles.ingest.decode import decode_bytes
from articles.ingest.formats.fields import ItemFields
from articles.ingest.frequencies import has_word_list, zipf
from articles.ingest.language import detect_language, primary_language
from articles.ingest.prepare import prepare_item, prepare_piece
from articles.ingest.reading import RawPiece
from articles.ingest.staging import stage_piece

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
LANGUAGES = ["en", "es", "ro", "ru", "pt", "it", "fr", "de"]
# One word of each language broken by a stray hyphen, in a sentence of that language, and the word whole.
BROKEN = {
    "en": ("The govern-ment said on Monday that the harbour would stay open.", "government"),
    "es": ("El gobier-no anunció el lunes que el puerto seguirá abierto todo el invierno.", "gobierno"),
    "ro": ("Guver-nul a anunțat luni că portul va rămâne deschis pe tot parcursul iernii.", "Guvernul"),
    "ru": ("Прави-тельство в понедельник заявило, что порт останется открытым всю зиму.", "Правительство"),
}


def fixture_texts(language: str) -> tuple[list[str], list[str]]:
    """Return the headlines and the paragraphs of `tests/fixtures/languages/<language>.txt`."""
    section, titles, paragraphs = None, [], []
    for line in (FIXTURES / "languages" / f"{language}.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            section = line[2:]
        elif line.strip():
            (titles if section == "titles" else paragraphs).append(line)
    return titles, paragraphs


def piece(title: str, paragraphs: list[str]) -> str:
    return "\n".join([title, title, *paragraphs]) + "\n"


@pytest.mark.parametrize("language", LANGUAGES)
def test_headlines_excerpts_and_pieces_are_told_apart_in_each_language(language):
    titles, paragraphs = fixture_texts(language)
    assert [detect_language(title) for title in titles] == [language] * len(titles)
    assert [detect_language(paragraph[:300]) for paragraph in paragraphs] == [language] * len(paragraphs)
    assert detect_language("\n\n".join(paragraphs)) == language


@pytest.mark.parametrize("text", ["", "   ", "12 345", "Tokayev", "\x00\x07\ud800"])
def test_a_text_too_short_or_without_letters_gets_no_language(text):
    assert detect_language(text) == ""


def test_control_characters_and_lone_surrogates_do_not_stop_detection():
    assert (
        detect_language("The council\x00 voted on Wednesday\ud800 to build the new bus lanes on the ring road.") == "en"
    )


@pytest.mark.parametrize(("tag", "primary"), [("pt-BR", "pt"), ("en_GB", "en"), (" RU ", "ru"), (None, ""), ("", "")])
def test_the_primary_subtag_of_a_language_tag(tag, primary):
    assert primary_language(tag) == primary


@pytest.mark.parametrize("language", ["en", "es", "ro", "ru"])
def test_a_piece_that_declares_no_language_is_detected_and_cleaned_with_its_own_word_lists(language):
    titles, paragraphs = fixture_texts(language)
    broken, whole = BROKEN[language]
    parsed = prepare_piece(piece(titles[0], [*paragraphs[:2], broken]))
    assert parsed.detected_language == language
    assert whole in parsed.body
    assert [edit.rule for edit in parsed.edits if edit.field == "body"] == ["broken-word"]
    assert not any("word lists" in warning for warning in parsed.warnings)


@pytest.mark.parametrize("language", ["es", "ro", "ru"])
def test_english_word_lists_would_leave_another_language_broken(language):
    broken, whole = BROKEN[language]
    assert whole not in clean_text(broken, language="en").text
    assert whole in clean_text(broken, language=language).text


def test_each_language_loads_its_word_list_when_first_asked_and_keeps_it():
    assert all(has_word_list(language) for language in LANGUAGES)
    zipf.cache_clear()
    zipf("gobierno", "es")
    zipf("gobierno", "es")
    assert zipf.cache_info().hits == 1 and zipf("gobierno", "es") > zipf("gobierno", "en")


def test_a_language_without_word_lists_gets_no_hyphen_repair_and_a_warning():
    assert not has_word_list("sw")
    fields = ItemFields(
        format="jsonl",
        title="Serikali yatangaza bei mpya",
        text="Seri-kali ilitangaza Jumatatu kwamba bei ya mafuta itapanda mwezi ujao.",
        language="sw",
    )
    parsed = prepare_item(fields)
    assert "Seri-kali" in parsed.body
    assert not any(edit.rule == "broken-word" for edit in parsed.edits)
    assert "No word lists for the language “sw”: words broken by stray hyphens were not repaired." in parsed.warnings


def test_a_declared_language_wins_and_the_detector_is_not_asked():
    titles, paragraphs = fixture_texts("es")
    parsed = prepare_item(ItemFields(format="jsonl", title=titles[0], text="\n\n".join(paragraphs), language="pt-BR"))
    assert parsed.language == "pt-BR" and parsed.detected_language == ""


def test_a_declared_language_that_is_no_tag_is_replaced_by_the_detected_one():
    titles, paragraphs = fixture_texts("ro")
    fields = ItemFields(format="jsonl", title=titles[0], text="\n\n".join(paragraphs), language="Romanian language")
    assert prepare_item(fields).detected_language == "ro"


def test_an_undetermined_language_is_cleaned_as_english():
    parsed = prepare_piece("Kaz-akhstan\nKaz-akhstan\nKaz-akhstan 2024.\n")
    assert parsed.detected_language == ""
    assert parsed.title == "Kazakhstan"


def test_the_russian_piece_in_cp1251_is_read_as_russian():
    data = (FIXTURES / "pieces" / "russian_cp1251.txt").read_bytes()
    assert decode_bytes(data, max_bytes=1_000_000).encoding.replace("_", "-").lower() in {"cp1251", "windows-1251"}
    staged = stage_piece(RawPiece(origin="russian_cp1251.txt", data=data), clean=True, max_bytes=1_000_000)
    assert staged.ok and staged.language == "ru"
    assert staged.parsed.title == "Экспорт зерна через порт вырос вдвое"
