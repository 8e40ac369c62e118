import string
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.ingest.clean import Edit, clean_text
from articles.ingest.hyphens import HyphenDecision, build_vocabulary, decide_hyphen


def cleaned(text, **kwargs):
    return clean_text(text, **kwargs).text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("neither this, n-or that.", "neither this, nor that."),
        ("fighting in Do-nbass went on.", "fighting in Donbass went on."),
        ("the two sta-tes agreed.", "the two states agreed."),
        ("for those pr-oducts only.", "for those products only."),
        ("an intelligence ag-ent was held.", "an intelligence agent was held."),
        ("Prev-iously, it was quiet.", "Previously, it was quiet."),
        ("They came to-gether at last.", "They came together at last."),
        ("The gov-ernment denied it.", "The government denied it."),
        ("The terri-tory was disputed.", "The territory was disputed."),
    ],
)
def test_words_broken_by_a_stray_hyphen_are_joined(raw, clean):
    assert cleaned(raw) == clean


def test_each_hyphen_of_a_multi_hyphen_word_is_decided_on_its_own():
    text = "Kazakh traders said Kaza-kh-Russian relations held. The Kazakh side agreed."
    assert "Kazakh-Russian relations" in cleaned(text)


def test_the_pieces_own_vocabulary_repairs_names_the_word_lists_lack():
    # "Zorvania" is no English word: only the piece says the broken form is one word.
    vocabulary = build_vocabulary("Zorvania voted. Leaders of Zor-vania met.")
    assert cleaned("Leaders of Zor-vania met.", vocabulary=vocabulary) == "Leaders of Zorvania met."


@pytest.mark.parametrize(
    "compound",
    [
        "anti-Russian",
        "Nur-Sultan",
        "Kassym-Zhomart",
        "high-ranking",
        "East-West",
        "Trans-Caspian",
        "Russian-speaking",
        "All-Russian",
        "multi-vector",
        "Data-Driven",
        "Alma-Ata",
        "e-mail",
        "X-ray",
        "co-operation",
        "re-election",
        "short-term",
        "safe-haven",
        "four-hour",
        "multi-year",
        "ultra-loose",
        "standard-bearer",
        "in-depth",
        "politician-president",
        "non-indigene",
        "ex-depot",
        "multi-party",
        "anti-corruption",
        "non-existing",
        "Nigeria-based",
        "COVID-19",
        "24-hour",
        "US-China",
        "well-known",
        "so-called",
        "self-made",
        "Kazakh-Russian",
    ],
)
def test_real_compounds_keep_their_hyphen(compound):
    text = f"They spoke of the {compound} plan at length."
    result = clean_text(text)
    assert result.text == text
    assert result.edits == []


@pytest.mark.parametrize(
    "text",
    [
        "Rates 2020-10-26 and 10-12 per cent.",
        "See https://example.org/some-long-path-name for more.",
        "Write to desk-editor@example.org today.",
        "GBP/USD and EUR/USD rose.",
        "It cost $7,700 and 3.5 per cent.",
    ],
)
def test_numbers_urls_emails_dates_and_pairs_are_never_touched(text):
    assert clean_text(text).edits == []


def test_repeated_hyphenated_form_is_taken_as_a_spelling():
    vocabulary = Counter({"zan-gora": 3})
    assert decide_hyphen("Zan", "gora", vocabulary, token="Zan-gora") is HyphenDecision.KEEP


def test_weak_evidence_leaves_the_word_alone_with_a_warning():
    # "dono" is no word; "donoghue" is a rare one: too weak to join without the piece's support.
    result = clean_text("He met dono-ghue there.")
    assert result.text == "He met dono-ghue there."
    assert any("dono-ghue" in warning for warning in result.warnings)


@pytest.mark.parametrize(
    ("raw", "clean", "rule"),
    [
        ("the administration , said", "the administration, said", "space-before-punctuation"),
        ("he said .", "he said.", "space-before-punctuation"),
        ("Really ? Yes !", "Really? Yes!", "space-before-punctuation"),
        ("about 70 “% of goods", "about 70% of goods", "stray-quote"),
        ("two  spaces   here", "two spaces here", "double-space"),
        ("soft\u00adhyphen and zero\u200bwidth", "softhyphen and zerowidth", "invisible-character"),
        ("Tom &amp; Jerry&#8217;s", "Tom & Jerry’s", "html-entity"),
        ("Cafe\u0301", "Café", "unicode-nfc"),
        ("it\u00e2\u20ac\u2122s a \u00e2\u20ac\u0153test\u00e2\u20ac\u009d", "it’s a “test”", "mojibake"),
    ],
)
def test_each_repair_is_made_and_recorded_under_its_rule(raw, clean, rule):
    result = clean_text(raw)
    assert result.text == clean
    assert result.edits
    assert {edit.rule for edit in result.edits} == {rule}


@pytest.mark.parametrize(
    "text",
    [
        "He paused … then spoke.",
        "Through seaports – a little more.",
        "The fund (AIIB) grew.",
        "A rate of .5 per cent.",
        "Prices near $7,700... then fell.",
        "“Of course,” he said. ‘Fine,’ she said.",
        "Curly “quotes” stay curly and ’apostrophes’ too.",
    ],
)
def test_ellipses_dashes_brackets_decimals_and_curly_quotes_are_left_alone(text):
    assert cleaned(text) == text


def test_an_edit_says_what_changed_where_and_in_which_field():
    result = clean_text("One administration , two.", field="summary")
    assert result.edits == [Edit("space-before-punctuation", "administration ,", "administration,", 4, "summary")]
    assert result.edits[0].to_dict() == {
        "rule": "space-before-punctuation",
        "before": "administration ,",
        "after": "administration,",
        "position": 4,
        "field": "summary",
    }


def test_edit_positions_point_at_the_text_the_rule_saw():
    text = "Leaders said . Then the ag-ent left."
    result = clean_text(text)
    word = next(edit for edit in result.edits if edit.rule == "broken-word")
    after_spacing = "Leaders said. Then the ag-ent left."
    assert after_spacing[word.position : word.position + len(word.before)] == "ag-ent"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=string.ascii_letters + " -.,;:!?%\"“”'’\n0123456789", max_size=200))
def test_cleaning_only_removes_what_its_edits_record(text):
    result = clean_text(text)
    letters = lambda s: [c for c in s if c.isalnum()]  # noqa: E731
    removed = sum(len(letters(e.before)) - len(letters(e.after)) for e in result.edits)
    assert removed == 0
    assert letters(result.text) == letters(text)
