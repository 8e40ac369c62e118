"""People, organisations and places read from a piece by rules and the gazetteer."""

import shutil

import pytest

from articles.ingest.prepare import prepare_piece
from articles.reading.entities import ORGANISATION, PERSON, PLACE, read_entities
from tests.conftest import SHARED_SAMPLES


def kinds(body: str) -> dict[str, str]:
    return {entity.name: entity.kind for entity in read_entities(body)}


@pytest.mark.shared_samples
def test_the_seed_s_people_organisations_and_places(tmp_path):
    copy = tmp_path / "seed.txt"
    shutil.copyfile(SHARED_SAMPLES / "seed.txt", copy)
    found = kinds(prepare_piece(copy.read_text(encoding="utf-8")).body)
    for name in ("Kassym-Zhomart Tokayev", "Timur Suleimenov", "Alibek Kuantirov", "Islam Kuraev", "Vladimir Putin"):
        assert found.get(name) == PERSON, name
    for name in ("National Security Committee", "EAEU", "Caspian Pipeline Consortium", "Sber"):
        assert found.get(name) == ORGANISATION, name
    for name in ("Kazakhstan", "Russia", "Moscow", "Tbilisi", "Nur-Sultan", "Caspian Sea"):
        assert found.get(name) == PLACE, name
    # A surname used alone is the person named in full, and sentence openers are nobody.
    assert "Tokayev" not in found and "While" not in found and "However" not in found


@pytest.mark.parametrize(
    ("body", "name", "kind"),
    [
        ("Dr Amaka Obi leads the ward.", "Amaka Obi", PERSON),
        ("The plan came from the Ministry of Finance on Monday.", "Ministry of Finance", ORGANISATION),
        ("Shares in Acme Holdings rose.", "Acme Holdings", ORGANISATION),
        ("The Labour Party met in Leeds.", "Labour Party", ORGANISATION),
        ("Staff at the Central Bank of Nigeria met.", "Central Bank of Nigeria", ORGANISATION),
        ("The lender, the Euractiv portal said, is small.", "Euractiv", ORGANISATION),
        ("Flights from Lagos to Nairobi resumed.", "Lagos", PLACE),
        ("Ferries cross the Black Sea daily.", "Black Sea", PLACE),
        ("The WHO and the EU agreed.", "EU", ORGANISATION),
    ],
)
def test_rules_and_gazetteer(body, name, kind):
    assert kinds(body).get(name) == kind


def test_a_people_adjective_before_a_company_word_is_not_an_organisation():
    found = kinds("The Russian company Sber left the project.")
    assert found.get("Sber") == ORGANISATION and "Russian" not in found


def test_mentions_are_counted_and_the_most_mentioned_come_first():
    found = read_entities("Anna Berg spoke. Later Berg left for Paris. Berg came back from Paris. Paris, Paris.")
    assert found[0].name == "Paris" and found[0].mentions == 4
    assert ("Anna Berg", PERSON, 3) in [(e.name, e.kind, e.mentions) for e in found]


def test_a_body_without_names_has_no_entities():
    assert read_entities("") == [] and read_entities("all lower case text. nothing here.") == []
