"""The search language of the README's table, run on the database of the test run (the suite runs on both).

Each example of the table is searched over the same few articles; the expected titles are stated here, and the
table and this list must name the same examples, so neither can change alone.
"""

import re
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from articles.models import Article

README = Path(__file__).resolve().parents[2] / "README.md"

ARTICLES = {
    "Ferry timetable": "The ferry leaves the harbour at noon.",
    "Bakery opens": "A new bakery opens on the square.",
    "Council approves solar farm": "The council approved a solar farm north of town.",
    "Council budget": "The council passed its budget.",
    "Farm owner": "A farm owner installed solar panels; the council was not involved.",
    "Harbours": "Harbourside cafés and two harbours.",
}

EXPECTED = {
    "council budget": {"Council budget"},
    "ferry OR bakery": {"Ferry timetable", "Bakery opens"},
    "council -solar": {"Council budget"},
    '"solar farm"': {"Council approves solar farm"},
    "harb*": {"Ferry timetable", "Harbours"},
    "council (budget OR farm)": {"Council budget", "Council approves solar farm", "Farm owner"},
    "solar-farm": {"Council approves solar farm"},
    "-solar": set(),
}


def readme_examples() -> list[str]:
    """Return the examples (last column) of the README's query syntax table."""
    text = README.read_text(encoding="utf-8")
    table = text[text.index("| syntax | meaning | example |") :].split("\n\n", 1)[0]
    return [re.fullmatch(r"`(.*)`", row.split(" | ")[-1].rstrip(" |")).group(1) for row in table.splitlines()[2:]]


def test_the_readme_table_and_these_examples_are_the_same():
    assert readme_examples() == list(EXPECTED)


@pytest.fixture
def corpus(make_article):
    published = Article.Status.PUBLISHED
    return {title: make_article(title, summary="", body=body, status=published) for title, body in ARTICLES.items()}


@pytest.mark.parametrize("example", list(EXPECTED))
def test_each_example_of_the_syntax_table_finds_what_the_table_says(corpus, example):
    found = {article.title for article in Article.objects.search(example)}
    assert found == EXPECTED[example]
    unranked = set(Article.objects.search(example, ranked=False).values_list("title", flat=True))
    assert unranked == EXPECTED[example]  # the cheap form the API uses for a list in another order


@pytest.mark.parametrize("example", list(EXPECTED))
@pytest.mark.parametrize("listing", [{}, {"ordering": "-published_at"}, {"pagination": "cursor"}])
def test_each_example_means_the_same_through_the_api_in_any_order(corpus, example, listing):
    response = APIClient().get("/api/v1/articles/", {"search": example, **listing})
    rows = response.json()["results"]
    assert {row["title"] for row in rows} == EXPECTED[example]
    assert all(row["rank"] > 0 and "<mark>" in row["snippet"] for row in rows)


@pytest.mark.parametrize("example", [e for e, titles in EXPECTED.items() if titles])
def test_each_example_highlights_a_hit_in_every_article_it_finds(corpus, example):
    found = Article.objects.search(example, snippets=False)
    snippets = found.full_text.snippets([article.pk for article in found])
    assert len(snippets) == len(EXPECTED[example])
    assert all("<mark>" in snippet for snippet in snippets.values()), snippets


def test_a_phrase_needs_its_words_in_order_and_next_to_each_other(corpus):
    assert {a.title for a in Article.objects.search("farm solar")} == {"Council approves solar farm", "Farm owner"}
    assert not Article.objects.search('"farm solar"').exists()
    assert not Article.objects.search('"council solar"').exists()


def test_exclusions_apply_to_the_branch_they_are_written_in(corpus):
    found = {a.title for a in Article.objects.search("bakery OR council -solar -budget")}
    assert found == {"Bakery opens"}
    assert {a.title for a in Article.objects.search("ferry OR -solar")} == {"Ferry timetable"}
    assert {a.title for a in Article.objects.search('council -"solar farm"')} == {"Council budget", "Farm owner"}


def test_a_phrase_stays_within_one_field(make_article):
    make_article("Council approves solar", summary="Farm owners object.", body="Farm owners object to the plan.")
    within = make_article("Plans", summary="A solar farm.", body="The solar farm opens in May.")
    assert list(Article.objects.search('"solar farm"')) == [within]
