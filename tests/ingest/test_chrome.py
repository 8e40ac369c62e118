"""Trailers and page chrome are never a title and never body text; sentences that start with the same words stay."""

import pytest

from articles.ingest.chrome import is_chrome_line
from articles.ingest.formats.fields import ItemFields
from articles.ingest.parse import TITLE_FROM_FIRST_SENTENCE, TITLE_FROM_LAST_LINE, parse_item
from articles.ingest.prepare import prepare_piece

LEDE = "The council agreed the harbour budget on Monday after a long debate."
SECOND = "Traders said the new fees would be passed on to importers within weeks."

TRAILERS = [
    "Read more https://example.org/story",
    "Read more: https://example.org/2026/12/harbour-fees/",
    "Read more",
    "Read More »",
    "Read more at Coastal Wire",
    "Read Full Story",
    "Read the full story",
    "Source link",
    "Source: https://example.org/story",
    "Continue reading",
    "Continue reading →",
    "Continue reading the main story",
    "Click here to read the full story.",
    "Click here for more news",
    "https://example.org/story",
    "www.example.org/story",
    "Stay Updated with the Latest News!",
    "Join our WhatsApp channel for more updates",
    "Follow us on Twitter",
    "Share this:",
    "Like this:",
    "Advertisement",
    "Leave a Reply",
    "Related Articles",
    "You may also like",
    "READ ALSO: Storm closes the northern harbour for a week",
    "Your email address will not be published. Required fields are marked *",
]

SENTENCES = [
    "Click here to see how each member voted, the clerk said, adding that the list is published online.",
    "Click here. The council said the figures were final and would not change.",
    "Read more about the budget in the council's own report, which runs to 300 pages.",
    "Continued pressure from importers forced the council to delay the vote twice this year.",
    "Source documents seen by the paper show the fee was set in March.",
    "Related talks between the port and the unions will resume next week, the ministry said.",
    "Sponsored events drew more than 2,000 visitors to the harbour front last summer.",
]


@pytest.mark.parametrize("line", TRAILERS)
def test_a_trailer_line_is_chrome(line):
    assert is_chrome_line(line)


@pytest.mark.parametrize("line", SENTENCES)
def test_a_sentence_that_starts_like_a_trailer_is_not_chrome(line):
    assert not is_chrome_line(line)


@pytest.mark.parametrize("trailer", TRAILERS)
def test_a_trailer_is_dropped_from_the_body_with_an_edit_and_never_becomes_the_title(trailer):
    piece = prepare_piece(f"{LEDE}\n\n{SECOND}\n\n{trailer}\n")
    assert piece.body == f"{LEDE}\n\n{SECOND}"
    assert piece.title != trailer and piece.title_from == TITLE_FROM_FIRST_SENTENCE
    [edit] = [edit for edit in piece.edits if edit.rule == "page-chrome"]
    assert edit.before == trailer and edit.after == "" and edit.field == "body"


@pytest.mark.parametrize("sentence", SENTENCES)
def test_a_sentence_that_starts_like_a_trailer_stays_in_the_body(sentence):
    piece = prepare_piece(f"Harbour fees\nHarbour fees\n{LEDE}\n\n{sentence}\n\n{SECOND}\n")
    assert piece.body.split("\n\n") == [LEDE, sentence, SECOND]
    assert not [edit for edit in piece.edits if edit.rule == "page-chrome"]


def test_click_here_in_the_middle_of_a_paragraph_stays():
    paragraph = f"{LEDE} Click here to read the full story. {SECOND}"
    piece = prepare_piece(f"Harbour fees\nHarbour fees\n{paragraph}\n")
    assert piece.body == paragraph


def test_a_themes_related_articles_list_and_comment_form_are_dropped_and_logged():
    text = (
        f"{LEDE}\n\n{SECOND}\n\nRelated Articles\nStorm closes the northern harbour\nMayor opens the new bridge\n"
        "Leave a Reply\nYour email address will not be published.\nComment *\nName *\nEmail *\nWebsite\n"
        "Save my name, email, and website in this browser for the next time I comment.\nPost Comment\n"
    )
    piece = prepare_piece(text)
    assert piece.body == f"{LEDE}\n\n{SECOND}"
    dropped = [edit.before for edit in piece.edits if edit.rule == "page-chrome"]
    assert dropped[:3] == ["Related Articles", "Storm closes the northern harbour", "Mayor opens the new bridge"]
    assert "Website" in dropped and dropped[-1] == "Post Comment"


def test_prose_after_a_related_heading_ends_the_section_and_is_kept():
    text = f"Harbour fees\nHarbour fees\n{LEDE}\n\nRelated Articles\nStorm closes the harbour\n{SECOND}\n"
    piece = prepare_piece(text)
    assert piece.body == f"{LEDE}\n\n{SECOND}"


def test_a_title_on_the_last_line_is_still_read_once_the_trailer_is_gone():
    piece = prepare_piece(f"{LEDE}\n\n{SECOND}\n\nHarbour fees to rise next month\n\nRead more https://example.org/x\n")
    assert piece.title == "Harbour fees to rise next month"
    assert piece.title_from == TITLE_FROM_LAST_LINE


def test_an_items_trailer_paragraphs_are_dropped_with_edits():
    html = (
        f"<p>{LEDE}</p><p>Click here to see how each member voted, the clerk said, adding that it is online.</p>"
        f"<p>{SECOND}</p><p>Read more https://example.org/story</p><h3>Related Articles</h3>"
        "<ul><li>Storm closes the harbour</li><li>Mayor opens the bridge</li></ul>"
    )
    piece = parse_item(ItemFields(format="rss", title="Harbour fees", html=html, source="Coastal Wire"))
    assert piece.body.split("\n\n") == [
        LEDE,
        "Click here to see how each member voted, the clerk said, adding that it is online.",
        SECOND,
    ]
    dropped = [edit.before for edit in piece.edits if edit.rule == "page-chrome"]
    assert dropped == [
        "Read more https://example.org/story",
        "## Related Articles",
        "- Storm closes the harbour\n- Mayor opens the bridge",
    ]
