"""Real hyphenated compounds from a dictionary keep their hyphen (the list and its origin: the fixture's header)."""

from pathlib import Path

import pytest

from articles.ingest.clean import clean_text

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "hyphenated_compounds.txt"
COMPOUNDS = [line for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]


def test_the_list_holds_at_least_500_compounds():
    assert len(COMPOUNDS) >= 500
    assert all("-" in compound for compound in COMPOUNDS)


@pytest.mark.parametrize("capitalised", [False, True], ids=["mid-sentence", "sentence-start"])
def test_no_dictionary_compound_is_broken(capitalised):
    broken = []
    for compound in COMPOUNDS:
        if capitalised:
            text = f"{compound[0].upper()}{compound[1:]} was the word they chose."
        else:
            text = f"They spoke of the {compound} plan at length."
        if clean_text(text).text != text:
            broken.append(compound)
    assert broken == []
