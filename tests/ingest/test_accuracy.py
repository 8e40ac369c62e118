"""The importer's accuracy on the publishers' pieces holds its bar (they are read from ../shared, never copied)."""

import importlib.util
from pathlib import Path

import pytest

from tests.conftest import SEED_SHAPED, SHARED_SAMPLES

BENCH = Path(__file__).resolve().parents[2] / "bench" / "ingest_accuracy.py"


def _load_bench():
    spec = importlib.util.spec_from_file_location("ingest_accuracy", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def report():
    return _load_bench().measure_accuracy(SHARED_SAMPLES / "pieces", seed=SHARED_SAMPLES / "seed.txt")


@pytest.mark.shared_samples
@pytest.mark.parametrize("field", ["title", "byline", "source"])
def test_titles_bylines_and_sources_are_all_right_on_sure_pieces(report, field):
    tally = report.sure[field]
    assert tally.total > 0
    assert tally.right == tally.total, report.misses


@pytest.mark.shared_samples
def test_no_footer_is_left_in_any_body(report):
    tally = report.overall["footer_free"]
    assert tally.total > 0
    assert tally.right == tally.total, report.misses


@pytest.mark.shared_samples
@pytest.mark.parametrize("field", ["repairs", "compounds"])
def test_on_the_seed_every_repair_is_made_and_every_compound_kept(report, field):
    tally = report.seed[field]
    assert tally.total > 0
    assert tally.right == tally.total, report.misses


def test_the_accuracy_function_counts_a_miss(tmp_path):
    bench = _load_bench()
    (tmp_path / "a.txt").write_text("Rain fell.\nThe post Rain appeared first on Weather Desk.\n", encoding="utf-8")
    (tmp_path / "truth.jsonl").write_text(
        '{"file": "a.txt", "title": "Snow", "byline": null, "source": "Weather Desk"}\n', encoding="utf-8"
    )
    measured = bench.measure_accuracy(tmp_path)
    assert (measured.overall["title"].right, measured.overall["title"].total) == (0, 1)
    assert (measured.overall["source"].right, measured.overall["source"].total) == (1, 1)
    assert measured.misses


@pytest.mark.parametrize("field", ["repairs", "compounds"])
def test_on_the_invented_seed_every_repair_is_made_and_every_compound_kept(tmp_path, field):
    (tmp_path / "truth.jsonl").write_text("", encoding="utf-8")
    tally = _load_bench().measure_accuracy(tmp_path, seed=SEED_SHAPED).seed[field]
    assert tally.total > 0
    assert tally.right == tally.total


def test_injected_damage_is_counted_and_compounds_are_checked(tmp_path):
    bench = _load_bench()
    text = "The government of the territory said the well-known agreement would hold. " * 4
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    damage = bench.measure_injected_damage(tmp_path, draws=2, first_draw=1)
    assert damage.injected == 6
    assert 0 <= damage.repaired <= damage.injected
    assert damage.compounds == 8 and damage.compounds_kept == 8


def test_injected_breaks_split_a_word_inside_and_say_where():
    bench = _load_bench()
    import random

    text = "Leaders gathered yesterday in the capital."
    damaged, breaks = bench.inject_damage(text, random.Random(3), per_piece=1)
    ((before, word, after, broken),) = breaks
    assert broken.replace("-", "") == word and not broken.startswith("-") and not broken.endswith("-")
    assert damaged == text.replace(word, broken, 1)
    assert before + word + after in text


@pytest.mark.shared_samples
def test_on_the_real_pieces_injected_breaks_are_repaired_and_no_compound_is_broken():
    # Draws 201-208, which no rule was tuned on. Over 40 unseen draws the rate is 95.6% (README, "Benchmarks").
    damage = _load_bench().measure_injected_damage(SHARED_SAMPLES / "pieces")
    assert damage.injected >= 400
    assert damage.repaired / damage.injected >= 0.95, damage.misses
    assert damage.compounds > 0 and damage.compounds_kept == damage.compounds, damage.misses


def test_the_quote_reader_gets_every_labelled_case_right():
    cases = _load_bench().measure_quotes()["cases"]
    assert (cases.found.ratio, cases.speakers.ratio, cases.extra) == (1.0, 1.0, 0), cases.misses


@pytest.mark.shared_samples
def test_the_quote_reader_finds_the_seed_s_quotes_and_speakers(tmp_path):
    copy = tmp_path / "seed.txt"
    copy.write_bytes((SHARED_SAMPLES / "seed.txt").read_bytes())
    seed = _load_bench().measure_quotes(seed=copy)["seed"]
    assert (seed.found.ratio, seed.speakers.ratio) == (1.0, 1.0), seed.misses
