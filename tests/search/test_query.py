"""The query parser and its renderings, database-free: what each kind of input becomes, hostile input included."""

import re

import pytest

from articles.search.postgresql import tsquery_text
from articles.search.query import All, Any, Not, Phrase, Word, parse
from articles.search.sqlite import fts5_expression

HOSTILE = [
    '"unclosed phrase',
    'a "b c',
    '"',
    '""',
    "-",
    "- -",
    "--",
    "*",
    "**",
    "OR",
    "OR OR",
    "a OR OR b",
    "OR a OR",
    "^a",
    "a:b",
    "title:harbour",
    "(",
    ")",
    ")(",
    "((a)",
    "a) OR (b",
    "NEAR(a b)",
    "NEAR/2",
    "a AND b",
    "NOT a",
    "a & b | !c <-> d",
    "a:* & b:A",
    "'quoted' \\ back\\slash",
    "%s %(x)s ?",
    "\x00",
    "!" * 200,
    "".join(chr(c) for c in range(33, 127) if not chr(c).isalnum()) * 3,
    "(" * 200,
    "-(" * 100,
    '"' * 199 + "a",
    "a" * 200,
    "é ü ø ß ½ ² 東京 مرحبا",
]


def words_of(node) -> list[str]:
    """Return the words `node` looks for or excludes, in order."""
    if isinstance(node, Word):
        return [node.text]
    if isinstance(node, Phrase):
        return list(node.words)
    if isinstance(node, Not):
        return words_of(node.term)
    return [word for part in node.parts for word in words_of(part)]


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("harbour", Word("harbour")),
        ("ferry OR bakery", Any((Word("ferry"), Word("bakery")))),
        ("council -solar", All((Word("council"), Not(Word("solar"))))),
        ('"solar farm"', Phrase(("solar", "farm"))),
        ("harb*", Word("harb", prefix=True)),
        ("council (budget OR farm)", All((Word("council"), Any((Word("budget"), Word("farm")))))),
        ("solar-farm", Phrase(("solar", "farm"))),
        ('council -"solar farm"', All((Word("council"), Not(Phrase(("solar", "farm")))))),
        ("a -(b OR c)", All((Word("a"), Not(Any((Word("b"), Word("c"))))))),
        ("ferry OR -solar", Word("ferry")),  # an exclusion alone narrows nothing: that branch is dropped
        ("or", Word("or")),  # only capital OR is the operator
    ],
)
def test_queries_parse_into_the_tree_they_mean(text, tree):
    assert parse(text) == tree


@pytest.mark.parametrize("text", ["", "   ", "-solar", "-a -b", "OR", "OR OR", "-", "*", '""', "()", "!!!", "—"])
def test_a_query_with_nothing_to_find_parses_to_nothing(text):
    assert parse(text) is None


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_parses_into_words_and_renders_safely(text):
    tree = parse(text)
    if tree is None:
        return
    fts5, tsquery = fts5_expression(tree), tsquery_text(tree)
    for word in words_of(tree):
        assert word.isalnum(), word  # only letters and digits reach the databases, each quoted
    # Outside its quoted strings, each rendering holds only its operators and parentheses.
    assert set(re.sub(r'"[^"]*"', "", fts5)) <= set("()* ORANDNOT"), fts5
    assert set(re.sub(r"'[^']*'", "", tsquery)) <= set("()&|!:*ABC "), tsquery


def test_parentheses_nest_only_so_deep_and_the_words_inside_are_still_found():
    assert words_of(parse("(" * 200 + "harbour")) == ["harbour"]


def test_renderings_quote_every_word_and_keep_the_structure():
    tree = parse('council -"solar farm" OR harb*')
    assert fts5_expression(tree) == '((("council") NOT ("solar farm")) OR "harb"*)'
    assert tsquery_text(tree) == "(('council' & !('solar farm':A | 'solar farm':B | 'solar farm':C)) | 'harb':*)"
