"""The sample feeds built from real pieces read as the matching text pieces do (read through ../shared/)."""

import json

import pytest

from articles.ingest.formats import read_items
from articles.ingest.parse import first_sentence
from articles.ingest.prepare import prepare_item
from tests.conftest import SHARED_SAMPLES as SAMPLES

pytestmark = pytest.mark.shared_samples
FEED_SAMPLES = ("aggregator_wp_rss.xml", "aggregator.json")
# The item whose feed copy carries only a trailer line ("Don't miss out ...") where the piece has its text.
ONLY_A_TRAILER = "2027: Peter Obi remains ruling party’s target"


def _truths() -> dict[str, dict]:
    truths = {}
    for line in (SAMPLES / "pieces" / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            truth = json.loads(line)
            if truth.get("title"):
                truths[truth["title"]] = truth
    seed = json.loads((SAMPLES / "seed.truth.json").read_text(encoding="utf-8"))
    truths[seed["title"]] = seed
    return truths


def _first_body_sentence(body: str) -> str:
    paragraph = next((p for p in body.split("\n\n") if p.strip() and not p.startswith("## ")), "")
    return first_sentence(paragraph.splitlines()[0]) if paragraph else ""


def _without_teaser_marker(sentence: str) -> str:
    # A text piece keeps a teaser's "[…]"; a feed item's body drops it (and says the piece is cut short).
    return sentence.removesuffix(" […]")


@pytest.fixture(scope="module", params=FEED_SAMPLES)
def pieces(request):
    data = (SAMPLES / "feeds" / request.param).read_bytes()
    return [prepare_item(item.fields) for item in read_items(data)]


def test_every_sample_item_matches_its_text_piece(pieces):
    truths = _truths()
    matched = 0
    for piece in pieces:
        truth = truths.get(piece.title)
        assert truth is not None, f"no text piece titled {piece.title!r}"
        assert piece.source_name == truth["source"], piece.title
        if piece.title == ONLY_A_TRAILER:
            assert piece.body == ""
            continue
        assert _first_body_sentence(piece.body) == _without_teaser_marker(truth["first_body_sentence"]), piece.title
        matched += 1
    assert matched == len(pieces) - 1 == 9


def test_the_seed_item_gives_the_seed_truth(pieces):
    seed = json.loads((SAMPLES / "seed.truth.json").read_text(encoding="utf-8"))
    piece = next(piece for piece in pieces if piece.title == seed["title"])
    assert [(a.name, a.kind) for a in piece.authors] == [(a["name"], a["kind"]) for a in seed["authors"]]
    assert piece.subheadings == seed["subheadings"]
    assert piece.body.endswith(seed["last_body_sentence"])
    assert "appeared first on" not in piece.body
    for repair in seed["repairs"]:
        assert repair["raw"] not in piece.body and repair["clean"] in piece.body
    for compound in seed["legit_hyphenated"]:
        assert compound in piece.body


def test_no_sample_item_keeps_its_footer(pieces):
    assert all("appeared first on" not in piece.body for piece in pieces)
    assert all(piece.source_name for piece in pieces)
