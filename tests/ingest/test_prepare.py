import json
from pathlib import Path

import pytest

from articles.ingest.bylines import AuthorName
from articles.ingest.parse import first_sentence
from articles.ingest.prepare import prepare_piece

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"
SEED_TRUTH = json.loads((SAMPLES / "seed.truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed():
    return prepare_piece((SAMPLES / "seed.txt").read_text(encoding="utf-8"))


def test_the_seed_gives_its_title_author_and_source(seed):
    assert seed.title == SEED_TRUTH["title"]
    assert seed.byline == SEED_TRUTH["byline"]
    assert seed.authors == [AuthorName(a["name"], a["kind"]) for a in SEED_TRUTH["authors"]]
    assert seed.source_name == SEED_TRUTH["source"]


def test_the_seed_keeps_its_subheadings_and_drops_the_one_equal_to_the_title(seed):
    assert seed.subheadings == SEED_TRUTH["subheadings"]
    assert f"## {SEED_TRUTH['dropped_subheading_same_as_title']}" not in seed.body


def test_the_seed_body_runs_from_its_first_to_its_last_sentence_without_the_footer(seed):
    assert first_sentence(seed.body.split("\n\n")[0]) == SEED_TRUTH["first_body_sentence"]
    assert seed.body.endswith(SEED_TRUTH["last_body_sentence"])
    assert SEED_TRUTH["footer"] not in seed.body
    assert "appeared first on" not in seed.body
    assert seed.summary.startswith(SEED_TRUTH["summary_starts"])


@pytest.mark.parametrize("repair", SEED_TRUTH["repairs"], ids=lambda r: r["raw"])
def test_every_seed_repair_is_made_and_logged(seed, repair):
    assert repair["raw"] not in seed.body
    assert repair["clean"] in seed.body
    assert any(edit.before.endswith(repair["raw"]) and repair["clean"] in edit.after for edit in seed.edits)


@pytest.mark.parametrize("compound", SEED_TRUTH["legit_hyphenated"])
def test_every_seed_compound_is_kept(seed, compound):
    assert compound in seed.body


def test_the_seed_needs_no_doubtful_repairs(seed):
    assert seed.warnings == []


def test_summary_and_subheadings_come_from_the_cleaned_body(seed):
    assert seed.summary == seed.body.split("\n\n")[0]
    assert "nor the situation with Donbass" in seed.summary


def test_without_cleaning_the_text_stays_as_it_arrived():
    raw = (SAMPLES / "seed.txt").read_text(encoding="utf-8")
    piece = prepare_piece(raw, clean=False)
    assert "Kaz-akhstan" in piece.body
    assert piece.edits == []


def test_the_title_is_cleaned_too_and_its_edits_are_labelled():
    piece = prepare_piece("Talks on the gov-ernment budget\n\nThe government met.\n")
    assert piece.title == "Talks on the government budget"
    assert [(e.field, e.before, e.after) for e in piece.edits] == [("title", "gov-ernment", "government")]
