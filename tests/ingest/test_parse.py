from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.ingest.bylines import AuthorName
from articles.ingest.parse import parse_piece

TEMPLATE = """Harbour fees to rise

Harbour fees to rise

Mira Oduya

The port authority will raise its fees next month, officials said on Monday.
Harbour fees to rise
Shipping lines were told in a letter that the increase would be modest.
What changes for traders
Importers will pay more for each container held beyond a week.

The post Harbour fees to rise appeared first on The Coastal Ledger."""


def test_the_template_gives_title_byline_source_body_and_subheadings():
    piece = parse_piece(TEMPLATE)
    assert piece.title == "Harbour fees to rise"
    assert not piece.title_derived
    assert piece.byline == "Mira Oduya"
    assert piece.authors == [AuthorName("Mira Oduya", "person")]
    assert piece.source_name == "The Coastal Ledger"
    assert piece.summary == "The port authority will raise its fees next month, officials said on Monday."
    assert piece.subheadings == ["What changes for traders"]
    assert piece.body.split("\n\n") == [
        "The port authority will raise its fees next month, officials said on Monday.",
        "Shipping lines were told in a letter that the increase would be modest.",
        "## What changes for traders",
        "Importers will pay more for each container held beyond a week.",
    ]
    assert piece.warnings == []
    assert not piece.truncated


@pytest.mark.parametrize(
    "variant",
    [
        TEMPLATE.replace("\n", "\r\n"),
        "\ufeff" + TEMPLATE,
        "\n".join(line + "   " for line in TEMPLATE.split("\n")),
        TEMPLATE.replace("Mira Oduya\n\n", ""),
        TEMPLATE.replace("Harbour fees to rise\n\nHarbour fees to rise\n\n", "Harbour fees to rise\n\n", 1),
    ],
    ids=["windows-line-endings", "bom", "trailing-whitespace", "no-byline", "title-not-repeated"],
)
def test_template_variants_parse_to_the_same_title_body_and_source(variant):
    piece = parse_piece(variant)
    assert piece.title == "Harbour fees to rise"
    assert piece.source_name == "The Coastal Ledger"
    assert piece.body == parse_piece(TEMPLATE).body


def test_a_missing_footer_leaves_the_source_unknown_with_a_warning():
    piece = parse_piece(TEMPLATE.rsplit("\n\nThe post", 1)[0])
    assert piece.source_name is None
    assert piece.title == "Harbour fees to rise"
    assert any("source" in warning for warning in piece.warnings)


def test_a_footer_title_different_from_the_header_is_warned_about():
    piece = parse_piece(TEMPLATE.replace("The post Harbour fees to rise", "The post Harbour fees will rise"))
    assert piece.title == "Harbour fees will rise"
    assert any("differs" in warning for warning in piece.warnings)


@pytest.mark.parametrize(
    ("text", "title", "source", "body_start"),
    [
        (
            "Rains flooded three districts overnight.\nThe post Floods hit the valley appeared first on Valley Times.",
            "Floods hit the valley",
            "Valley Times",
            "Rains flooded",
        ),
        (
            "Talks resumed with the union, the standard-bearerThe post Talks resume appeared first on Daily Wire.",
            "Talks resume",
            "Daily Wire",
            "Talks resumed",
        ),
        (
            "Bridge works\n\nCrews began repairs on Friday.\n\nThe post Bridge works first appeared on City Paper.",
            "Bridge works",
            "City Paper",
            "Crews began",
        ),
        (
            "Crews began repairs.\n\nThis post was syndicated from River Gazette. Click here to read the full text.",
            "Crews began repairs",
            "River Gazette",
            "Crews began",
        ),
        (
            "Crews began repairs.\nThe post Repairs begin appeared first on River Gazette.\n"
            "This post was syndicated from River Gazette. Click here to read the full text on River Gazette.",
            "Repairs begin",
            "River Gazette",
            "Crews began",
        ),
    ],
    ids=["title-only-in-footer", "glued-footer", "first-appeared-on", "syndicated", "two-footers"],
)
def test_footer_wordings_give_title_and_source_and_never_reach_the_body(text, title, source, body_start):
    piece = parse_piece(text)
    assert piece.title == title
    assert piece.source_name == source
    assert piece.body.startswith(body_start)
    for marker in ("The post", "appeared first", "first appeared", "syndicated"):
        assert marker not in piece.body


@pytest.mark.parametrize(
    "trailer", ["Read More", "Read Full Story", "Source link", "Stay Updated with the Latest News!"]
)
def test_trailers_around_the_footer_are_not_body(trailer):
    text = f"Crews began repairs.\n{trailer}\nThe post Repairs begin appeared first on River Gazette.\n\n{trailer}"
    piece = parse_piece(text)
    assert piece.body == "Crews began repairs."


def test_an_outlet_and_date_line_gives_the_publication_time():
    text = "Repairs begin\n\nRivergaz | 16-07-2025 01:30pm |\n\nCrews began repairs.\n"
    piece = parse_piece(text)
    assert piece.published_at == datetime(2025, 7, 16, 13, 30, tzinfo=UTC)
    assert piece.byline is None
    assert piece.body == "Crews began repairs."


def test_a_date_prefix_gives_the_publication_date_and_leaves_the_body():
    piece = parse_piece(" date 2020-10-26 Markets slid again. The post Slide appeared first on Desk Daily.")
    assert piece.published_at == datetime(2020, 10, 26, tzinfo=UTC)
    assert piece.body == "Markets slid again."


def test_an_inline_byline_is_taken_from_the_start_of_the_lede():
    piece = parse_piece("By Tola Ameh ON Monday the council met.\nThe post Council meets appeared first on Metro.")
    assert piece.byline == "Tola Ameh"
    assert piece.body == "ON Monday the council met."


def test_a_dateline_stays_in_the_body_and_is_no_byline():
    piece = parse_piece("Council meets\n\nABUJA – The council met on Monday.\n")
    assert piece.byline is None
    assert piece.body == "ABUJA – The council met on Monday."


def test_page_chrome_and_category_lines_are_dropped():
    text = (
        "home All News open_in_new Full Article\n\nLocal Politics\n\nCouncil meets\n\nCouncil meets\n\n"
        "The council met on Monday.\n\nattach_file Politics\narrow_drop_down\n"
    )
    piece = parse_piece(text)
    assert piece.title == "Council meets"
    assert piece.body == "The council met on Monday."


def test_a_repeated_caption_loses_to_the_footer_title_with_a_warning():
    text = (
        "Governor Ada Eze at the launch\n\nGovernor Ada Eze at the launch\n\n"
        '"We will build the road," the governor said.\n\n'
        "The post Why the road matters appeared first on State Herald."
    )
    piece = parse_piece(text)
    assert piece.title == "Why the road matters"
    assert piece.body == '"We will build the road," the governor said.'
    assert any("caption" in warning for warning in piece.warnings)


def test_a_piece_without_a_title_gets_a_derived_one_and_a_warning():
    piece = parse_piece("The council met on Monday to agree a budget for the next two years of road building work.")
    assert piece.title_derived
    assert piece.title == "The council met on Monday to agree a budget for the next…"
    assert any("derived" in warning for warning in piece.warnings)


def test_a_cut_off_piece_is_marked_truncated_and_warned_about():
    piece = parse_piece("Council meets\n\nThe council met on Monday.\n\nThe post Council me")
    assert piece.truncated
    assert "The post" not in piece.body
    assert piece.warnings


def test_bullets_are_kept_as_list_items():
    piece = parse_piece("Key facts\n\n  • Rates rose.\n  • Jobs fell.\n\nThe economy slowed in May.\n")
    assert "- Rates rose.\n- Jobs fell." in piece.body


def test_hard_wrapped_lines_join_into_one_paragraph():
    piece = parse_piece("Council meets\n\nThe council met on Monday to agree\na budget for two years.\n")
    assert piece.body == "The council met on Monday to agree a budget for two years."


def test_a_title_printed_after_the_body_is_found():
    piece = parse_piece("The council met on Monday and agreed a budget.\n\nCouncil agrees budget for roads")
    assert piece.title == "Council agrees budget for roads"
    assert piece.body == "The council met on Monday and agreed a budget."


def test_digest_footers_are_removed_and_all_items_kept():
    text = (
        "Rain fell.\nThe post Rain appeared first on Weather Desk.\n"
        "Sun shone.\nThe post Sun appeared first on Weather Desk."
    )
    piece = parse_piece(text)
    assert "Rain fell." in piece.body
    assert "Sun shone." in piece.body
    assert "appeared first" not in piece.body
    assert any("digest" in warning for warning in piece.warnings)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_parse_piece_never_raises_and_always_gives_a_title(text):
    piece = parse_piece(text)
    assert piece.title


@pytest.mark.parametrize(
    ("byline", "authors"),
    [
        ("Renée Müller", ["Renée Müller"]),
        ("By Алена Казакова", ["Алена Казакова"]),
        ("By José Álvarez and Zoë Brontë", ["José Álvarez", "Zoë Brontë"]),
        ("Автор: Алена Казакова", ["Алена Казакова"]),
        (
            "By Ada Obi, Bola Ade, Chidi Eze, Dana Orlova, Emeka Nwosu, Fatima Bello, Gustavo Lima, Hana Sato, "
            "Ivan Petrov and Júlia Gonçalves",
            [
                "Ada Obi",
                "Bola Ade",
                "Chidi Eze",
                "Dana Orlova",
                "Emeka Nwosu",
                "Fatima Bello",
                "Gustavo Lima",
                "Hana Sato",
                "Ivan Petrov",
                "Júlia Gonçalves",
            ],
        ),
    ],
)
def test_a_byline_of_non_ascii_or_many_names_gives_its_authors_and_stays_out_of_the_body(byline, authors):
    piece = parse_piece(TEMPLATE.replace("Mira Oduya", byline))
    assert [author.name for author in piece.authors] == authors
    assert piece.body == parse_piece(TEMPLATE).body
    assert piece.warnings == []


def test_a_by_line_that_cannot_be_read_as_a_byline_is_kept_with_a_warning():
    piece = parse_piece(TEMPLATE.replace("Mira Oduya", "By MIRA ODUYA"))
    assert piece.authors == []
    assert piece.body.startswith("By MIRA ODUYA\n\n"), "kept as it was, a line of text rather than a subheading"
    assert piece.warnings == [
        "The line under the title starts with “By” but could not be read as a byline; it was kept in the body and "
        "no author was taken from it: “By MIRA ODUYA”."
    ]


def test_a_lede_that_starts_with_by_is_no_byline_and_no_warning():
    piece = parse_piece(TEMPLATE.replace("Mira Oduya", "By Monday, the port had cleared its backlog."))
    assert piece.authors == [] and piece.warnings == []
    assert piece.body.startswith("By Monday, the port had cleared its backlog.")


@pytest.mark.parametrize(
    ("footer", "title", "source"),
    [
        ("The post Fees rise appeared first on The Coastal Ledger.", "Fees rise", "The Coastal Ledger"),
        ("The post Fees rise first appeared on The Coastal Ledger.", "Fees rise", "The Coastal Ledger"),
        ("La entrada Suben las tasas se publicó primero en Diario Costa.", "Suben las tasas", "Diario Costa"),
        ("Articolul Taxele cresc apare prima dată în Gazeta Văii.", "Taxele cresc", "Gazeta Văii"),
        ("O post Taxas sobem apareceu primeiro em Jornal do Vale.", "Taxas sobem", "Jornal do Vale"),
        (
            "L’article Les taxes augmentent est apparu en premier sur L’Écho du Lac.",
            "Les taxes augmentent",
            "L’Écho du Lac",
        ),
        ("L'article Les taxes augmentent est apparu en premier sur Écho.", "Les taxes augmentent", "Écho"),
        ("Cet article Les taxes augmentent est apparu en premier sur Écho.", "Les taxes augmentent", "Écho"),
        ("Der Beitrag Gebühren steigen erschien zuerst auf Talbote.", "Gebühren steigen", "Talbote"),
        ("L'articolo Le tasse aumentano proviene da Corriere del Lago.", "Le tasse aumentano", "Corriere del Lago"),
        ("L’articolo Le tasse aumentano proviene da Corriere del Lago.", "Le tasse aumentano", "Corriere del Lago"),
    ],
)
def test_footers_in_every_wordpress_wording_give_title_and_source_and_leave_the_body(footer, title, source):
    piece = parse_piece(f"{title}\n\nThe first paragraph of the piece.\n\n{footer}")
    assert piece.title == title
    assert piece.source_name == source
    assert piece.body == "The first paragraph of the piece."


def test_a_localized_footer_glued_to_the_last_word_is_split_off():
    piece = parse_piece(
        "Gebühren steigen\n\nDie Gebühren steigen.Der Beitrag Gebühren steigen erschien zuerst auf Talbote."
    )
    assert piece.source_name == "Talbote"
    assert piece.body == "Die Gebühren steigen."


def test_prose_using_a_footer_verb_without_the_template_stays_in_the_body():
    text = "Museo\n\nIl quadro proviene da una collezione privata.\n\nThe post Museo appeared first on Corriere."
    piece = parse_piece(text)
    assert piece.body == "Il quadro proviene da una collezione privata."
    assert piece.source_name == "Corriere"


def test_a_localized_footer_ends_a_long_piece_too():
    body = " ".join(["Der Stadtrat hat am Montag über die neuen Gebühren beraten."] * 120)
    piece = parse_piece(
        f"Gebühren steigen\n\n{body}\n\nDer Beitrag Gebühren steigen erschien zuerst auf Talbote.\nRead More"
    )
    assert piece.source_name == "Talbote"
    assert piece.body == body
