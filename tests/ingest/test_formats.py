"""Splitting documents into items (exact bytes, streamed) and reading each item's fields, per format."""

import io
import json
import pickle
import re
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.ingest.formats import (
    FormatError,
    ItemError,
    ItemSkipped,
    RawItem,
    iter_raw_items,
    read_item,
    read_items,
)

FEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"
# The fixture documents that hold items, with the format each is recognised as by its content.
ITEM_DOCUMENTS = [
    ("wordpress_rss2.xml", "rss"),
    ("rss091.xml", "rss"),
    ("rss092.xml", "rss"),
    ("rdf.xml", "rdf"),
    ("atom.xml", "atom"),
    ("jsonfeed.json", "jsonfeed"),
    ("items.jsonl", "jsonl"),
    ("export.wxr.xml", "wxr"),
    ("localized_footers.xml", "rss"),
    ("undeclared_prefixes.xml", "rss"),
    ("wrong_encoding.xml", "rss"),
    ("malformed.xml", "rss"),
    ("edge_items.xml", "rss"),
]


def _read(name: str) -> list:
    return list(read_items((FEEDS / name).read_bytes()))


def _fields(name: str) -> list:
    return [item.fields for item in _read(name)]


class _TrickleStream(io.RawIOBase):
    """A stream that hands out at most `step` bytes a read, to put chunk boundaries everywhere."""

    def __init__(self, data: bytes, step: int):
        self.data, self.step, self.pos = data, step, 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        size = self.step if size is None or size < 0 else min(size, self.step)
        chunk = self.data[self.pos : self.pos + size]
        self.pos += len(chunk)
        return chunk


# Raw bytes -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "element"),
    [
        ("wordpress_rss2.xml", b"item"),
        ("rss091.xml", b"item"),
        ("rss092.xml", b"item"),
        ("rdf.xml", b"item"),
        ("atom.xml", b"entry"),
        ("localized_footers.xml", b"item"),
        ("edge_items.xml", b"item"),
        ("undeclared_prefixes.xml", b"item"),
        ("wrong_encoding.xml", b"item"),
        ("export.wxr.xml", b"item"),
    ],
)
def test_each_xml_item_carries_exactly_its_own_element_bytes(name, element):
    data = (FEEDS / name).read_bytes()
    expected = re.findall(rb"<" + element + rb"[\s>].*?</" + element + rb">", data, re.DOTALL)
    raws = list(iter_raw_items(data))
    assert [raw.data for raw in raws] == expected
    assert [raw.index for raw in raws] == list(range(len(expected)))


@pytest.mark.parametrize("step", [1, 2, 3, 7, 16, 17, 100, 4096])
def test_chunk_boundaries_anywhere_give_the_same_items(step):
    data = (FEEDS / "wordpress_rss2.xml").read_bytes()
    whole = list(iter_raw_items(data, "rss"))
    trickled = iter_raw_items(_TrickleStream(data, step), "rss")
    assert [raw.data for raw in trickled] == [raw.data for raw in whole]
    assert trickled.meta.title == "Coastal Wire"


def test_markup_inside_cdata_and_comments_is_not_taken_for_items():
    data = (
        b'<rss version="2.0"><channel><title>T</title><!-- <item>commented out</item> -->'
        b"<item><title>One</title><description><![CDATA[<item>not an item</item> ]]]></description></item>"
        b"<?pi <item> ?><item><title>Two</title></item></channel></rss>"
    )
    raws = list(iter_raw_items(data, "rss"))
    assert [raw.data for raw in raws] == [
        b"<item><title>One</title><description><![CDATA[<item>not an item</item> ]]]></description></item>",
        b"<item><title>Two</title></item>",
    ]


def test_a_json_feed_item_carries_exactly_its_object_bytes():
    data = (FEEDS / "jsonfeed.json").read_bytes()
    raws = list(iter_raw_items(data))
    document = json.loads(data)
    assert [json.loads(raw.data) for raw in raws] == document["items"]
    offsets = [data.index(raw.data) for raw in raws]
    assert offsets == sorted(offsets)
    assert all(raw.data.startswith(b"{") and raw.data.endswith(b"}") for raw in raws)


@pytest.mark.parametrize("step", [1, 5, 64])
def test_a_json_feed_read_in_small_chunks_gives_the_same_items(step):
    data = (FEEDS / "jsonfeed.json").read_bytes()
    assert [raw.data for raw in iter_raw_items(_TrickleStream(data, step), "jsonfeed")] == [
        raw.data for raw in iter_raw_items(data)
    ]


def test_a_json_lines_item_is_its_line_without_the_line_break():
    data = (FEEDS / "items.jsonl").read_bytes()
    lines = [line for line in data.split(b"\n") if line.strip()]
    raws = list(iter_raw_items(data))
    assert [raw.data for raw in raws] == lines
    assert [raw.line for raw in raws] == [1, 2, 3, 5, 6, 7, 8]


def _generated_item(index: int) -> bytes:
    words = " ".join(f"word{index}-{n}" for n in range(60))
    return (
        f"<item><title>Generated piece {index}</title><link>https://gen.example/{index}</link>"
        f'<guid isPermaLink="false">gen-{index}</guid><description><![CDATA[<p>{words}.</p>]]></description>'
        "</item>\n"
    ).encode()


def test_a_ten_thousand_item_feed_streams_in_flat_memory(tmp_path):
    path = tmp_path / "big.xml"
    with path.open("wb") as file:
        file.write(b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Big</title>\n')
        for index in range(10_000):
            file.write(_generated_item(index))
        file.write(b"</channel></rss>\n")
    size = path.stat().st_size
    # Reading a first item loads the item reader's modules and patterns, once per process: not the stream's memory
    # (the test would otherwise pass only after another test had read a feed).
    with path.open("rb") as file:
        assert read_item(next(iter(iter_raw_items(file)))).external_id == "gen-0"
    count = 0
    tracemalloc.start()
    try:
        with path.open("rb") as file:
            stream = iter_raw_items(file)
            for raw in stream:
                assert raw.data == _generated_item(count).rstrip(b"\n")
                if count % 1000 == 0:
                    assert read_item(raw).external_id == f"gen-{count}"
                count += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 10_000
    assert stream.meta.items == 10_000
    assert size > 7_000_000
    assert peak < size / 20, f"peak {peak:,} bytes for a {size:,}-byte feed"


# Refusals and feed-level data ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ((FEEDS / "page.html").read_bytes(), "This is a web page, not a feed."),
        (b"Harbour fees to rise\n\nThe port authority said so.", "This is a plain-text piece, not a feed"),
        (b'<?xml version="1.0"?><opml version="2.0"/>', "This is not a feed in any format newsroom reads"),
    ],
)
def test_documents_without_items_to_read_are_refused_with_a_clear_reason(data, message):
    with pytest.raises(FormatError, match=re.escape(message)):
        iter_raw_items(data)


@pytest.mark.parametrize(
    ("name", "title", "link", "language", "generator", "count", "warnings"),
    [
        (
            "wordpress_rss2.xml",
            "Coastal Wire",
            "https://coastalwire.example",
            "en-GB",
            "https://wordpress.org/?v=6.5.3",
            4,
            [],
        ),
        ("rdf.xml", "Hill Post", "https://hillpost.example/", "en", None, 2, []),
        ("atom.xml", "Riverside & District", "https://riverside.example/", "en", "Hand-built", 3, []),
        ("jsonfeed.json", "Northern Ledger", "https://northernledger.example/", "en", None, 2, []),
        (
            "export.wxr.xml",
            "Marsh Chronicle",
            "https://marshchronicle.example",
            "en-US",
            "https://wordpress.org/?v=6.5.3",
            6,
            [],
        ),
        ("empty.xml", "Quiet Feed", "https://quiet.example/", None, None, 0, ["The feed has no items."]),
        (
            "wrong_encoding.xml",
            "Café Society",
            "https://cafesociety.example/",
            None,
            None,
            1,
            ["The feed declares utf-8 but its own elements is not written in it; read as cp1252."],
        ),
    ],
)
def test_the_feed_says_what_it_is(name, title, link, language, generator, count, warnings):
    stream = iter_raw_items((FEEDS / name).read_bytes())
    raws = list(stream)
    assert (stream.meta.title, stream.meta.link, stream.meta.language) == (title, link, language)
    assert stream.meta.generator == generator
    assert stream.meta.items == len(raws) == count
    assert stream.meta.warnings == warnings
    if raws and name != "jsonfeed.json":
        assert raws[0].context["title"] == title


def test_the_feed_title_is_known_before_its_first_item_is_read():
    stream = iter_raw_items((FEEDS / "wordpress_rss2.xml").read_bytes())
    first = next(stream)
    assert stream.meta.title == "Coastal Wire"
    assert first.context["namespaces"]["dc"] == "http://purl.org/dc/elements/1.1/"
    assert first.context["base"] == "https://coastalwire.example"


def test_a_raw_item_is_read_alone_from_its_bytes_and_context():
    raw = next(iter_raw_items((FEEDS / "rdf.xml").read_bytes()))
    alone = RawItem(data=bytes(raw.data), index=0, format="rdf", context=dict(raw.context))
    assert read_item(alone).title == "Mountain pass reopens"


# Fields of each format -----------------------------------------------------------------------------------------


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def test_wordpress_rss_items_give_their_fields():
    first, protected, ferry, lifeboat = _fields("wordpress_rss2.xml")
    assert first.title == "Harbour  fees to rise  next month"
    assert first.html.startswith("<p>The port authority will raise its fees next month")
    assert first.summary.startswith("<p>The port authority will raise its fees next month, officials said on Monday.")
    assert first.authors == ["Mira Oduya"]
    assert first.tags == ["Business", "Shipping"]
    assert first.published_at == _when("2024-05-14T08:30:00+00:00")
    assert first.updated_at is None
    assert first.external_id == "https://coastalwire.example/?p=4101"
    assert first.link == "https://coastalwire.example/2024/05/harbour-fees-to-rise/"
    assert first.source_hint == "Coastal Wire"
    assert first.language == "en-GB"
    assert first.warnings == []
    assert protected.title == "Protected: Council budget talks"
    assert protected.authors == ["By Ana Ruiz and Tomas Berg"]
    assert ferry.authors == ["Web Desk"]
    assert lifeboat.html.startswith("<p>Four volunteers were given medals")
    assert lifeboat.summary is None


def test_rss_091_and_092_items_give_their_fields():
    cafe, river = _fields("rss091.xml")
    assert cafe.title == "Café owners object to parking plan"
    assert cafe.text == "Owners of the high street cafes say the plan would drive customers away."
    assert cafe.html is None
    assert cafe.external_id == cafe.link == "http://valleycourier.example/news/parking.html"
    assert cafe.warnings == ["The item is not well-formed XML (undefined entity); read leniently."]
    assert river.html == "The river dropped by a metre & the weir is dry for the first time in years."
    (school,) = _fields("rss092.xml")
    assert school.html == (
        "<p>Forty pupils started lessons in the new building on Monday.</p><p>The old school will become a library.</p>"
    )
    assert school.tags == ["Education"]
    assert school.external_id == "https://islandtimes.example/school"


def test_rdf_items_give_their_fields():
    pass_item, snow = _fields("rdf.xml")
    assert pass_item.title == "Mountain pass reopens"
    assert pass_item.html == (
        "<p>The pass reopened on Friday after the spring thaw.</p><p>Drivers are asked to carry chains until June.</p>"
    )
    assert pass_item.summary == "The pass reopened on Friday after the spring thaw."
    assert pass_item.authors == ["Lena Moss"]
    assert pass_item.tags == ["Roads"]
    assert pass_item.published_at == _when("2024-04-19T04:00:00+00:00")
    assert pass_item.external_id == "https://hillpost.example/pass-reopens"
    assert pass_item.language == "en"
    assert snow.published_at == _when("2024-04-18T00:00:00+00:00")
    assert snow.authors == []


def test_atom_entries_give_their_fields_for_html_xhtml_and_text_content():
    bridge, market, library = _fields("atom.xml")
    assert bridge.title == "Bridge repairs begin"
    assert bridge.html.startswith("<p>Repairs to the old bridge started on Friday and will last <em>six weeks</em>")
    assert bridge.summary == "Repairs to the old bridge started on Friday."
    assert bridge.authors == ["Owen Hale"]
    assert bridge.tags == ["Transport"]
    assert bridge.published_at == _when("2024-03-01T08:00:00+00:00")
    assert bridge.updated_at == _when("2024-03-02T08:30:00+00:00")
    assert bridge.link == "https://riverside.example/2024/bridge-repairs"
    assert bridge.external_id == "tag:riverside.example,2024:1"
    assert bridge.language == "en"
    assert market.title == "Market moves indoors"
    assert market.html == (
        "<p>The Saturday market moves into the old hall for the winter.</p><p>Stallholders pay the same rent.</p>"
    )
    assert market.authors == ["Riverside Newsroom"]  # the feed's author, as Atom says
    assert market.published_at == _when("2024-02-28T16:00:00+00:00")
    assert library.text.startswith("The library will open until eight on Thursdays.\n\nVolunteers")
    assert library.html is None
    assert library.link is None
    assert library.external_id == "tag:riverside.example,2024:3"


def test_json_feed_items_give_their_fields():
    tram, rink = _fields("jsonfeed.json")
    assert tram.title == "Tram line extension approved"
    assert tram.html.startswith("<p>The city approved the tram extension on Monday.</p>")
    assert tram.summary == "Councillors backed the plan by a wide margin."
    assert not tram.summary_html
    assert tram.authors == ["Pia Lund", "Jon Ek"]
    assert tram.tags == ["Transport", "City"]
    assert tram.published_at == _when("2024-04-15T08:20:00+00:00")
    assert tram.updated_at == _when("2024-04-15T12:00:00+00:00")
    assert tram.external_id == "2024-0415-tram"
    assert tram.link == "https://northernledger.example/tram-line"
    assert tram.language == "en-GB"
    assert tram.warnings == []
    assert rink.text == "The ice rink closed a week early because of the warm weather.\n\nIt reopens in November."
    assert rink.external_id == "1042"
    assert rink.authors == ["Ledger Staff"]
    assert rink.tags == ["Sport"]
    assert rink.language == "en"
    assert rink.warnings == ["Ignored the tags that are not strings."]


def test_json_lines_give_fields_or_a_clear_error_for_each_line():
    tides, beach, broken, list_title, array, bad_tags, undated = _read("items.jsonl")
    assert tides.fields.title == "Tide tables published"
    assert tides.fields.text == "The harbour office published the summer tide tables.\n\nCopies are free at the office."
    assert tides.fields.source == "The Harbour Gazette"
    assert tides.fields.published_at == _when("2024-05-01T07:00:00+00:00")
    assert tides.fields.authors == ["Mira Oduya"]
    assert tides.fields.tags == ["Harbour"]
    assert tides.fields.external_id == tides.fields.link == "https://jsonl.example/tides"
    assert beach.fields.html.startswith("<p>Volunteers cleared the beach on <b>Sunday</b>.</p>")
    assert beach.fields.authors == ["By Ana Ruiz and Tomas Berg"]
    assert beach.fields.published_at == _when("2024-05-02T08:30:00+00:00")
    assert beach.fields.warnings == ["Ignored unknown field(s): colour, priority."]
    assert broken.error == "Line 3 is not valid JSON (Unterminated string starting at, at character 34)."
    assert list_title.error == "Line 5: “title” must be a string, not a list."
    assert array.error == "Line 6 is a list, not a JSON object."
    assert bad_tags.error == "Line 7: “tags” must be a list of strings."
    assert undated.fields.published_at is None
    assert undated.fields.warnings == ["Could not read the date “last Tuesday”."]


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(
                st.sampled_from(["title", "body", "html", "url", "authors", "tags", "published_at", "id", "x"])
                | st.text(),
                children,
                max_size=6,
            )
        ),
        max_leaves=12,
    )
)
def test_any_json_line_gives_fields_or_a_clear_error(value):
    raw = RawItem(data=json.dumps(value).encode(), index=0, format="jsonl", line=1)
    try:
        fields = read_item(raw)
    except ItemError as error:
        assert str(error).startswith("Line 1")
    else:
        assert isinstance(value, dict)
        assert fields.title is None or isinstance(fields.title, str)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_on_a_json_line_give_fields_or_a_clear_error(data):
    raw = RawItem(data=data, index=0, format="jsonl", line=4)
    try:
        read_item(raw)
    except ItemError as error:
        assert str(error).startswith("Line 4")


def test_wordpress_export_gives_posts_and_skips_pages_attachments_and_menus():
    heron, draft, private, page, attachment, menu = _read("export.wxr.xml")
    fields = heron.fields
    assert fields.title == "Herons return to the reed beds"
    assert fields.html.startswith("The first grey herons came back to the reed beds this week")
    assert fields.raw_wordpress
    assert fields.summary == "Eleven heron nests were counted, the earliest return on record."
    assert fields.authors == ["Kit Fen"]  # the login "kfen" named in the export's header
    assert fields.tags == ["Nature", "Birds"]
    assert fields.published_at == _when("2024-04-30T06:15:00+00:00")
    assert fields.updated_at == _when("2024-05-01T07:00:00+00:00")
    assert fields.external_id == "https://marshchronicle.example/?p=201"
    assert fields.link == "https://marshchronicle.example/2024/04/herons-return/"
    assert fields.status == "publish"
    assert fields.source_hint == "Marsh Chronicle"
    assert draft.fields.status == "draft"
    assert draft.fields.published_at is None
    assert draft.fields.authors == ["Marsh Desk"]
    assert draft.fields.tags == []  # "Uncategorized" is WordPress's placeholder, not a category
    assert private.fields.status == "private"
    assert private.fields.tags == ["Members"]
    assert page.skipped == "WordPress page “About the Chronicle”, not a post: skipped."
    assert attachment.skipped == "WordPress attachment “heron”, not a post: skipped."
    assert menu.skipped == "WordPress nav menu item “Home”, not a post: skipped."


def test_a_trashed_or_empty_automatic_draft_is_skipped():
    item = (
        b"<item><title>Old</title><wp:status>trash</wp:status><wp:post_type>post</wp:post_type></item>",
        b"<item><title></title><wp:status>auto-draft</wp:status><wp:post_type>post</wp:post_type></item>",
    )
    context = {"namespaces": {"wp": "http://wordpress.org/export/1.2/"}, "root": "rss"}
    with pytest.raises(ItemSkipped, match="is in the trash: skipped"):
        read_item(RawItem(item[0], 0, "wxr", context))
    with pytest.raises(ItemSkipped, match="is an empty automatic draft: skipped"):
        read_item(RawItem(item[1], 1, "wxr", context))


# Damaged feeds -------------------------------------------------------------------------------------------------


def test_undeclared_prefixes_are_read_with_their_usual_meaning_and_warned_about():
    (raw,) = iter_raw_items((FEEDS / "undeclared_prefixes.xml").read_bytes())
    fields = read_item(raw)
    assert fields.authors == ["Rhea Stone"]
    assert fields.html == "<p>The hearing on the quarry expansion was adjourned until May.</p>"
    assert fields.warnings == [
        "The feed uses the prefix “content:” without declaring it; read as http://purl.org/rss/1.0/modules/content/.",
        "The feed uses the prefix “dc:” without declaring it; read as http://purl.org/dc/elements/1.1/.",
        "The feed uses the prefix “media:” without declaring it; read as http://search.yahoo.com/mrss/.",
        "The feed uses the prefix “xyz:” without declaring it; its elements are kept.",
    ]


def test_a_feed_declared_utf8_but_written_in_cp1252_is_read_in_cp1252():
    (fields,) = _fields("wrong_encoding.xml")
    assert fields.title == "Crème brûlée tops the menu – again"
    assert fields.html is None
    assert fields.text == "The café’s crème brûlée won the vote for the “best dessert”."
    assert fields.encoding == "cp1252"
    assert fields.warnings == ["The feed declares utf-8 but this item is not written in it; read as cp1252."]


def test_a_feed_declared_latin1_but_written_in_utf8_is_read_in_utf8():
    data = '<?xml version="1.0" encoding="ISO-8859-1"?><rss><channel><item><title>Crème</title></item></channel></rss>'
    (raw,) = iter_raw_items(data.encode("utf-8"))
    fields = read_item(raw)
    assert fields.title == "Crème"
    assert fields.warnings == ["The feed declares iso-8859-1 but is written in UTF-8; read as UTF-8."]


def test_a_malformed_feed_gives_every_item_it_holds_with_warnings():
    fish, unclosed, cut = _read("malformed.xml")
    assert fish.fields.title == "Fish & chips shop wins award"
    assert fish.fields.warnings == ["The item is not well-formed XML (invalid token); read leniently."]
    assert unclosed.fields.title == "An item never closed"
    assert unclosed.fields.warnings[0] == "The item was not closed; it ends where the next item starts."
    assert cut.fields.title == "Cut off in the middle"
    assert cut.fields.warnings[0] == "The document ends inside this item: it was cut off."
    assert cut.raw.data.endswith(b"The document ends before this item\n")


def test_items_missing_a_title_a_body_or_an_id_still_give_fields():
    untitled, no_body, link_only, nothing, first, second = _read("edge_items.xml")
    assert untitled.fields.title is None
    assert no_body.fields.html is None and no_body.fields.text is None
    assert link_only.fields.external_id == "https://edgecase.example/no-guid"
    assert nothing.fields.external_id is None and nothing.fields.link is None
    assert first.fields.external_id == second.fields.external_id == "edge-repeated"
    assert first.fields.warnings == []
    assert second.fields.warnings == ["The id “edge-repeated” was already used by item 5 of this document."]


def test_a_utf16_feed_is_read():
    text = (
        '<?xml version="1.0" encoding="UTF-16"?><rss version="2.0"><channel><title>Wide</title>'
        "<item><title>Ça va</title></item></channel></rss>"
    )
    stream = iter_raw_items(text.encode("utf-16"))
    (raw,) = stream
    assert read_item(raw).title == "Ça va"
    assert raw.data == "<item><title>Ça va</title></item>".encode()
    assert stream.meta.warnings == ["The feed is written in UTF-16; its items' bytes are kept re-encoded as UTF-8."]


def test_a_raw_item_survives_the_trip_to_a_staging_worker():
    raws = list(iter_raw_items((FEEDS / "wordpress_rss2.xml").read_bytes()))
    travelled = pickle.loads(pickle.dumps(raws))  # noqa: S301 - our own bytes, as the worker pool sends them
    assert [read_item(raw).title for raw in travelled] == [read_item(raw).title for raw in raws]


def test_entities_declared_by_the_feed_are_never_expanded():
    lol = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 9))
    data = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol0 "lol">{lol}]><rss version="2.0"><channel>'
        "<title>Laughs</title><item><title>A &lol8; title</title><description>Body.</description></item>"
        "</channel></rss>"
    ).encode()
    stream = iter_raw_items(data)
    (raw,) = stream
    fields = read_item(raw)
    assert len(fields.title or "") < 100
    assert stream.meta.title == "Laughs"


def test_a_sniffed_json_lines_stream_is_read_line_by_line():
    data = (FEEDS / "items.jsonl").read_bytes()
    assert [raw.data for raw in iter_raw_items(io.BufferedReader(io.BytesIO(data)))] == [
        raw.data for raw in iter_raw_items(data, "jsonl")
    ]
