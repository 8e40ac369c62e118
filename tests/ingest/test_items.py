"""Feed and export items become the same `ParsedPiece` a text piece gives, cleaned the same way."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from articles.ingest.bylines import AuthorName
from articles.ingest.formats import ItemFields, read_items
from articles.ingest.parse import parse_item, parse_piece
from articles.ingest.prepare import prepare_item, prepare_piece

FEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"


def _pieces(name: str, *, clean: bool = True) -> list:
    return [prepare_item(item.fields, clean=clean) for item in read_items((FEEDS / name).read_bytes()) if item.fields]


def test_a_wordpress_item_gives_title_body_subheadings_summary_authors_and_the_footer_source():
    piece = _pieces("wordpress_rss2.xml")[0]
    assert piece.title == "Harbour fees to rise next month"
    assert piece.body.split("\n\n") == [
        "The port authority will raise its fees next month, officials said on Monday.",
        "Shipping lines were told in a letter that the increase would be modest.",
        "## What changes for traders",
        "Importers will pay more for each container held beyond a week:",
        "- storage after seven days\n- night-time pilotage",
    ]
    assert piece.subheadings == ["What changes for traders"]
    assert piece.summary == "The port authority will raise its fees next month, officials said on Monday."
    assert piece.authors == [AuthorName("Mira Oduya", "person")]
    assert piece.byline == "Mira Oduya"
    assert piece.source_name == "The Harbour Gazette"
    assert piece.published_at == datetime(2024, 5, 14, 8, 30, tzinfo=UTC)
    assert piece.tags == ["Business", "Shipping"]
    assert piece.external_id == "https://coastalwire.example/?p=4101"
    assert piece.link == "https://coastalwire.example/2024/05/harbour-fees-to-rise/"
    assert piece.language == "en-GB"
    assert piece.format == "rss"
    assert not piece.truncated
    assert piece.warnings == ["Dropped 1 image caption(s) with their images: “Cranes at the north quay on Monday.”."]


def test_a_protected_title_keeps_its_prefix_and_a_byline_creator_is_read_as_a_byline():
    piece = _pieces("wordpress_rss2.xml")[1]
    assert piece.title == "Protected: Council budget talks"
    assert piece.authors == [AuthorName("Ana Ruiz", "person"), AuthorName("Tomas Berg", "person")]
    assert piece.source_name == "Valley Courier"  # "first appeared on"
    assert piece.body == "Councillors met behind closed doors to agree the budget for the coming year."


def test_a_footer_only_in_the_description_still_names_the_source():
    piece = _pieces("wordpress_rss2.xml")[2]
    assert piece.source_name == "Island Times"
    assert piece.body.split("\n\n") == [
        "The island ferry will leave half an hour earlier from June.",
        "Passengers with return tickets keep their seats.",
    ]
    assert piece.summary == "The island ferry will leave half an hour earlier from June."
    assert piece.authors == [AuthorName("Web Desk", "desk")]
    assert piece.warnings == ["Source “Island Times” taken from the footer of the item's description."]


def test_an_item_without_content_encoded_takes_its_body_from_the_description():
    piece = _pieces("wordpress_rss2.xml")[3]
    assert piece.body == "Four volunteers were given medals for a rescue in the winter storm."
    assert piece.source_name == "The Harbour Gazette"
    assert piece.authors == []
    assert piece.warnings == []


def test_a_teaser_body_is_marked_cut_short():
    fields = ItemFields(format="rss", title="Storm warning", html="<p>Gales are expected along the coast [&#8230;]</p>")
    piece = parse_item(fields)
    assert piece.body == "Gales are expected along the coast"
    assert piece.truncated
    assert "The item's body is only a teaser (it ends with “[…]”): the piece is cut short." in piece.warnings


@pytest.mark.parametrize(
    ("index", "title", "source", "body"),
    [
        (
            0,
            "El puerto amplía su horario",
            "Diario de la Costa",
            "El puerto abrirá dos horas más cada día desde junio.",
        ),
        (1, "Podul nou se deschide", "Gazeta Văii", "Podul nou peste râu se deschide sâmbătă."),
        (2, "Feira volta à praça", "Jornal do Vale", "A feira semanal volta à praça central no domingo."),
        (3, "Le marché déménage", "L’Écho du Lac", "Le marché du samedi déménage sur la place de la gare."),
        (4, "Neue Buslinie ab Mai", "Talbote", "Ab Mai fährt eine neue Buslinie zum Bahnhof."),
        (5, "Il museo riapre", "Corriere del Lago", "Il museo civico riapre dopo i lavori di restauro."),
    ],
)
def test_localized_footers_are_removed_and_give_the_source(index, title, source, body):
    piece = _pieces("localized_footers.xml")[index]
    assert (piece.title, piece.source_name, piece.body) == (title, source, body)
    assert piece.warnings == []


def test_a_footer_link_text_gives_a_source_with_full_stops_and_a_title_with_the_footer_words():
    html = (
        "<p>Rates held.</p><p>The post <a href='a'>Why it first appeared on Mars</a> appeared first on "
        "<a href='b'>U.S. Money News</a>.</p>"
    )
    piece = parse_item(ItemFields(format="rss", title="Why it first appeared on Mars", html=html))
    assert piece.source_name == "U.S. Money News"
    assert piece.body == "Rates held."
    assert piece.warnings == []


def test_a_footer_glued_to_the_last_paragraph_is_split_off():
    html = "<p>Rates held steady.The post Rates hold appeared first on Money Desk.</p>"
    piece = parse_item(ItemFields(format="rss", title="Rates hold", html=html))
    assert piece.body == "Rates held steady."
    assert piece.source_name == "Money Desk"


@pytest.mark.parametrize(
    ("fields", "source", "warning"),
    [
        (ItemFields(format="jsonl", title="T", text="Body.", source="Own Outlet"), "Own Outlet", None),
        (
            ItemFields(format="rss", title="T", html="<p>Body.</p>", source_hint="Feed Title"),
            "Feed Title",
            "The item does not name its source; took the feed's title “Feed Title”.",
        ),
        (
            ItemFields(
                format="rss",
                title="T",
                html="<p>Body.</p><p>The post T appeared first on Footer Outlet.</p>",
                source="Own Outlet",
            ),
            "Footer Outlet",
            "The item names its source “Own Outlet”; its footer says “Footer Outlet”.",
        ),
        (ItemFields(format="rss", title="T", html="<p>Body.</p>"), None, "The item does not name its source."),
    ],
)
def test_the_source_comes_from_the_footer_else_the_item_else_the_feed_title(fields, source, warning):
    piece = parse_item(fields)
    assert piece.source_name == source
    if warning:
        assert warning in piece.warnings
    else:
        assert not any("source" in w for w in piece.warnings)


def test_an_item_with_no_title_derives_one_and_says_so():
    piece = _pieces("edge_items.xml")[0]
    assert piece.title == "Nobody gave this piece a title, but the council did meet on…"
    assert piece.title_derived
    assert piece.warnings[0].startswith("The item has no title; derived")


def test_an_item_with_no_body_gives_an_empty_body_for_the_stager_to_refuse():
    piece = _pieces("edge_items.xml")[1]
    assert piece.title == "A headline with no story"
    assert piece.body == ""
    assert piece.summary == ""


def test_a_title_repeated_as_the_first_heading_and_a_repeated_caption_line_are_dropped():
    html = (
        "<h1>Bridge reopens</h1><p>Mayor Ada Cole at the bridge</p><p>Mayor Ada Cole at the bridge</p>"
        "<p>The bridge reopened on Monday after a year of work.</p>"
    )
    piece = parse_item(ItemFields(format="rss", title="Bridge  reopens", html=html))
    assert piece.title == "Bridge reopens"
    assert piece.body == "The bridge reopened on Monday after a year of work."
    assert piece.warnings[0] == (
        "Dropped the line repeated at the top of the body, an image caption: “Mayor Ada Cole at the bridge”."
    )


def test_a_byline_at_the_top_of_the_body_gives_the_authors_when_the_item_names_none():
    html = "<p>By Clifford Ndu ON Monday the council met to agree the budget.</p>"
    piece = parse_item(ItemFields(format="rss", title="Budget", html=html))
    assert piece.authors == [AuthorName("Clifford Ndu", "person")]
    assert piece.body == "ON Monday the council met to agree the budget."


def test_trailers_and_chrome_lines_are_dropped():
    html = "<p>Real text.</p><p>Read More</p><p>Continue reading</p><p>The yen … Continued</p>"
    piece = parse_item(ItemFields(format="rss", title="T", html=html))
    assert piece.body == "Real text.\n\nThe yen …"


def test_a_text_body_is_read_like_a_text_piece_body():
    fields = ItemFields(
        format="jsonl",
        title="Harbour fees to rise",
        text="The port authority will raise its fees.\nWhat changes for traders\nImporters will pay more.\n"
        "## Already a heading\nMore text.\n- one\n- two",
    )
    piece = parse_item(fields)
    assert piece.body.split("\n\n") == [
        "The port authority will raise its fees.",
        "## What changes for traders",
        "Importers will pay more.",
        "## Already a heading",
        "More text.",
        "- one\n- two",
    ]
    assert piece.subheadings == ["What changes for traders", "Already a heading"]


def test_a_wordpress_export_post_becomes_a_piece_with_its_status():
    heron, draft, private = _pieces("export.wxr.xml")
    assert heron.title == "Herons return to the reed beds"
    assert heron.body.split("\n\n") == [
        "The first grey herons came back to the reed beds this week, a fortnight earlier than last year.",
        "Wardens counted eleven nests on Sunday.\nTwo more pairs were seen building.",
        "## Why they came early",
        "The mild winter left the pools free of ice.",
    ]
    assert heron.summary == "Eleven heron nests were counted, the earliest return on record."
    assert heron.status == "publish"
    assert heron.authors == [AuthorName("Kit Fen", "person")]
    assert heron.source_name == "Marsh Chronicle"
    assert heron.updated_at == datetime(2024, 5, 1, 7, 0, tzinfo=UTC)
    assert (draft.status, draft.published_at) == ("draft", None)
    assert private.status == "private"


def test_prepare_item_cleans_as_prepare_piece_does():
    damaged = "Officials in Kaz-akhstan said the fees , set last year , would rise."
    text_piece = prepare_piece(f"Fees rise\n\n{damaged}\n\nThe post Fees rise appeared first on Steppe News.")
    item = prepare_item(ItemFields(format="rss", title="Fees rise", html=f"<p>{damaged}</p>"))
    assert item.body == text_piece.body == "Officials in Kazakhstan said the fees, set last year, would rise."
    assert [(e.rule, e.before, e.after) for e in item.edits] == [(e.rule, e.before, e.after) for e in text_piece.edits]
    assert item.summary == item.body


def test_an_item_summary_of_its_own_is_cleaned_and_logged():
    fields = ItemFields(
        format="jsonfeed",
        title="T",
        html="<p>Body text here.</p>",
        summary="A summary , with a stray space.",
        summary_html=False,
    )
    piece = prepare_item(fields)
    assert piece.summary == "A summary, with a stray space."
    assert any(edit.field == "summary" for edit in piece.edits)
    assert prepare_item(fields, clean=False).summary == "A summary , with a stray space."


def test_a_text_piece_still_parses_as_before():
    assert parse_piece("Title\n\nBody text.\n\nThe post Title appeared first on Outlet.").format == "text"
