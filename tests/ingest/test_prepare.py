"""The seed's reading: the invented piece in its shape always, the publishers' seed where it is present."""

import json
from pathlib import Path

import pytest

from articles.ingest.bylines import AuthorName
from articles.ingest.parse import first_sentence
from articles.ingest.prepare import prepare_piece
from tests.conftest import SEED_SHAPED, SHARED_SAMPLES

SEEDS = [
    pytest.param(SEED_SHAPED, id="invented"),
    pytest.param(SHARED_SAMPLES / "seed.txt", id="publishers", marks=pytest.mark.shared_samples),
]


def truth_of(path: Path) -> dict:
    return json.loads(path.with_suffix(".truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=SEEDS)
def seed_file(request) -> Path:
    return request.param


@pytest.fixture(scope="module")
def seed(seed_file):
    return prepare_piece(seed_file.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def truth(seed_file) -> dict:
    return truth_of(seed_file)


def test_the_seed_gives_its_title_author_and_source(seed, truth):
    assert seed.title == truth["title"]
    assert seed.byline == truth["byline"]
    assert seed.authors == [AuthorName(a["name"], a["kind"]) for a in truth["authors"]]
    assert seed.source_name == truth["source"]


def test_the_seed_keeps_its_subheadings_and_drops_the_one_equal_to_the_title(seed, truth):
    assert seed.subheadings == truth["subheadings"]
    assert f"## {truth['dropped_subheading_same_as_title']}" not in seed.body


def test_the_seed_body_runs_from_its_first_to_its_last_sentence_without_the_footer(seed, truth):
    assert first_sentence(seed.body.split("\n\n")[0]) == truth["first_body_sentence"]
    assert seed.body.endswith(truth["last_body_sentence"])
    assert truth["footer"] not in seed.body
    assert "appeared first on" not in seed.body
    assert seed.summary.startswith(truth["summary_starts"])


def test_every_seed_repair_is_made_and_logged(seed, truth):
    assert truth["repairs"]
    for repair in truth["repairs"]:
        assert repair["raw"] not in seed.body, repair
        assert repair["clean"] in seed.body, repair
        assert any(edit.before.endswith(repair["raw"]) and repair["clean"] in edit.after for edit in seed.edits), repair


def test_every_seed_compound_is_kept(seed, truth):
    assert truth["legit_hyphenated"]
    for compound in truth["legit_hyphenated"]:
        assert compound in seed.body, compound


def test_the_seed_needs_no_doubtful_repairs(seed):
    assert seed.warnings == []


def test_summary_and_subheadings_come_from_the_cleaned_body(seed, truth):
    assert seed.summary == seed.body.split("\n\n")[0]
    # The first paragraph's repairs are in the summary: "nor the situation with Donbass" in the publishers' seed.
    first_paragraph_repairs = [r for r in truth["repairs"] if r["clean"] in truth["first_body_sentence"]]
    assert first_paragraph_repairs
    assert all(r["clean"] in seed.summary and r["raw"] not in seed.summary for r in first_paragraph_repairs)


def test_without_cleaning_the_text_stays_as_it_arrived(seed_file):
    raw = seed_file.read_text(encoding="utf-8")
    piece = prepare_piece(raw, clean=False)
    assert all(repair["raw"] in piece.body for repair in truth_of(seed_file)["repairs"] if "-" in repair["raw"])
    assert piece.edits == []


def test_the_title_is_cleaned_too_and_its_edits_are_labelled():
    piece = prepare_piece("Talks on the gov-ernment budget\n\nThe government met.\n")
    assert piece.title == "Talks on the government budget"
    assert [(e.field, e.before, e.after) for e in piece.edits] == [("title", "gov-ernment", "government")]
