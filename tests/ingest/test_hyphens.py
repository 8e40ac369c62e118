"""Each class of stray hyphen the issue names is repaired, real compounds stay, and only languages with word lists
are repaired. The examples are the issue's; the sentences around them are made up."""

import pytest

from articles.ingest.clean import clean_text
from articles.ingest.frequencies import dictionary_words, has_word_list, in_dictionary
from articles.ingest.hyphens import hyphen_repairs


def cleaned(text, **kwargs):
    return clean_text(text, **kwargs).text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("candid-ate", "candidate"),
        ("mark-ing", "marking"),
        ("bull-ish", "bullish"),
        ("co-re", "core"),
        ("up-on", "upon"),
        ("a-go", "ago"),
        ("the-re", "there"),
        ("on-e", "one"),
        ("so-me", "some"),
    ],
)
def test_a_word_broken_into_two_words_is_joined(raw, clean):
    assert cleaned(f"Reports say {raw} matters here.") == f"Reports say {clean} matters here."


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("re-located", "relocated"),
        ("dis-closed", "disclosed"),
        ("un-veil", "unveil"),
        ("re-cent", "recent"),
        ("Abduct-ed", "Abducted"),
        ("enforce-ment", "enforcement"),
        ("Progress-ives", "Progressives"),
        ("Trade-rs", "Traders"),
    ],
)
def test_a_prefix_or_suffix_split_off_is_joined_back(raw, clean):
    assert cleaned(f"Reports say {raw} matters here.") == f"Reports say {clean} matters here."


@pytest.mark.parametrize(("raw", "clean"), [("De-spite", "Despite"), ("Ex-pressing", "Expressing")])
def test_a_split_prefix_is_joined_at_a_sentences_start_too(raw, clean):
    assert cleaned(f"{raw} the rain, they went.") == f"{clean} the rain, they went."


@pytest.mark.parametrize(("raw", "clean"), [("c-rudest", "crudest"), ("s-colding", "scolding")])
def test_a_short_fragment_of_an_inflected_dictionary_word_is_joined(raw, clean):
    # Both forms are rare on the frequency lists; the spelling dictionary knows them.
    assert cleaned(f"It drew the {raw} remarks.") == f"It drew the {clean} remarks."


def test_a_fragment_before_a_string_no_list_knows_is_joined():
    assert cleaned("Nights of lo-adshedding went on.") == "Nights of loadshedding went on."


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("Bo-la", "Bola"), ("Ademo-la", "Ademola"), ("Tah-ir", "Tahir"), ("Abdu-lla", "Abdulla"), ("Kele-chi", "Kelechi")],
)
def test_a_name_the_lists_know_is_joined_in_the_middle_of_a_sentence(raw, clean):
    assert cleaned(f"The minister, {raw}, spoke.") == f"The minister, {clean}, spoke."
    assert cleaned(f"They met Dr. {raw} there.") == f"They met Dr. {clean} there."


def test_a_name_no_list_knows_is_joined_where_the_piece_writes_it_whole():
    text = "Governor Siminalayi Fubara spoke first. Later Governor Fu-bara left."
    assert cleaned(text) == "Governor Siminalayi Fubara spoke first. Later Governor Fubara left."
    # Alone, nothing says it is one word: it is left as it is.
    assert cleaned("Later Governor Fu-bara left.") == "Later Governor Fu-bara left."


def test_a_closed_word_the_piece_uses_twice_repairs_a_break_into_two_words():
    text = "The bitcoin rose. Bitcoin fell. Then the bit-coin held."
    assert cleaned(text) == "The bitcoin rose. Bitcoin fell. Then the bitcoin held."
    once = clean_text("The bitcoin rose. Then the bit-coin held.")
    assert once.text == "The bitcoin rose. Then the bit-coin held."
    assert any("bit-coin" in warning for warning in once.warnings)


def test_a_capitalised_break_in_the_middle_of_a_sentence_is_a_name_the_piece_writes_whole():
    assert cleaned("Bitcoin rose. Then Bit-coin held.") == "Bitcoin rose. Then Bitcoin held."


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Governor of Osun State. Governor of O-sun State.", "Governor of Osun State. Governor of Osun State."),
        ("George Opare Addo spoke. He thanked Opare Ad-do.", "George Opare Addo spoke. He thanked Opare Addo."),
        ("Markets await Biden. Bi-den speaks today.", "Markets await Biden. Biden speaks today."),
    ],
)
def test_a_name_the_piece_writes_whole_is_joined_even_where_both_halves_are_words(raw, clean):
    assert cleaned(raw) == clean


def test_a_name_at_a_sentences_start_is_joined_only_if_the_piece_never_writes_it_in_lower_case():
    assert cleaned("Markets await Biden. Bi-den speaks.") == "Markets await Biden. Biden speaks."
    text = "Co-ed schools grew. Coed dorms and coed classes followed."
    assert cleaned(text) == text, "the piece writes the word in lower case too: no name"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("first on Ne-wsBTC.", "first on NewsBTC."),
        ("first on NewsB-TC.", "first on NewsBTC."),
        ("The post BLOOD-Y JANUARY", "The post BLOODY JANUARY"),
        ("The post BLOODY JANUAR-Y", "The post BLOODY JANUARY"),
        ("the DAIL-Y POST reports", "the DAILY POST reports"),
    ],
)
def test_a_word_in_capitals_or_a_brand_broken_by_its_letters_shape_is_joined(raw, clean):
    assert cleaned(raw) == clean


@pytest.mark.parametrize("compound", ["CD-R", "PLAN-B", "DVD-R", "COVID-X", "Wi-Fi", "iPhone-X", "PhD-MBA", "GmbH-AG"])
def test_letters_and_capitals_that_make_a_compound_stay(compound):
    assert cleaned(f"They bought the {compound} last week.") == f"They bought the {compound} last week."


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (
            "the Citizens Network For Peace and Development in Nigeria (CN-FPDN), on Thursday",
            "the Citizens Network For Peace and Development in Nigeria (CNFPDN), on Thursday",
        ),
        (
            "the Independent Corrupt Practices Commission (IC-PC) said",
            "the Independent Corrupt Practices Commission (ICPC) said",
        ),
    ],
)
def test_an_acronym_after_its_spelled_out_name_is_joined(raw, clean):
    assert cleaned(raw) == clean


def test_brackets_that_do_not_spell_the_words_before_them_keep_their_hyphen():
    text = "the talks between the two parties (PDP-APC) went on"
    assert cleaned(text) == text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("By Clifford N-dujihe on Monday", "By Clifford Ndujihe on Monday"),
        ("the candidate, Monday Ok-pebholo, won", "the candidate, Monday Okpebholo, won"),
        ("parties to rec-alibrate their plans", "parties to recalibrate their plans"),
        ("the goals they want to act-ualise now", "the goals they want to actualise now"),
        ("critics to cease vilifi-cation now", "critics to cease vilification now"),
        ("the In-dependent Corrupt Practices", "the Independent Corrupt Practices"),
    ],
)
def test_a_side_no_list_knows_or_a_small_word_no_compound_holds_is_joined(raw, clean):
    assert cleaned(raw) == clean


@pytest.mark.parametrize("compound", ["in-depth", "in-fighting", "in-law", "in-built", "fal-lals", "bashi-bazouk"])
def test_compounds_near_the_new_rules_stay(compound):
    assert cleaned(f"Reports say the {compound} matters.") == f"Reports say the {compound} matters."


@pytest.mark.parametrize(
    "compound",
    [
        "anti-Russian",
        "Nur-Sultan",
        "high-ranking",
        "re-election",
        "co-operation",
        "e-mail",
        "X-ray",
        "re-assess",
        "re-enter",
        "re-run",
        "re-check",
        "re-word",
        "a-z",
        "co-worker",
        "co-ed",
        "co-founder",
        "pre-war",
        "non-profit",
        "ex-wife",
        "self-esteem",
        "e-book",
        "T-shirt",
        "U-turn",
        "A-list",
        "set-up",
        "make-up",
        "log-in",
        "no-one",
        "up-front",
        "in-house",
        "ha-ha",
        "CD-R",
        "vis-a-vis",
        "up-to-date",
        "aid-de-camp",
        "Jae-myung",
        "Jong-un",
    ],
)
def test_real_compounds_stay_mid_sentence_and_at_a_sentences_start(compound):
    for text in (f"Reports say the {compound} matters.", f"{compound[0].upper()}{compound[1:]} was the word."):
        result = clean_text(text)
        assert result.text == text
        assert result.edits == []


def test_a_name_at_a_sentences_start_is_not_joined_on_the_lists_alone():
    # "Kohl-rabi" at a sentence's start could be a name ("Tah-ir") or a compound: the capital says nothing there.
    assert cleaned("Kohl-rabi grows here.") == "Kohl-rabi grows here."


@pytest.mark.parametrize("language", ["sw", "zh", None])
def test_a_language_without_word_lists_gets_no_hyphen_repair(language):
    text = "Leaders of the two sta-tes met."
    assert not has_word_list(language)
    assert cleaned(text, language=language) == text
    assert hyphen_repairs(text, {}, language) == ([], [])
    assert cleaned(text, language="en") == "Leaders of the two states met."


def test_the_spelling_dictionary_knows_inflected_forms_and_is_loaded_once():
    words = dictionary_words("en")
    assert isinstance(words, frozenset)
    assert dictionary_words("en") is words
    assert {"crudest", "scolding", "relocated", "progressives"} <= words
    assert not in_dictionary("teh")
    assert dictionary_words("ro") == frozenset()
