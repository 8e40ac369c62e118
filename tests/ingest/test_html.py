"""HTML into the body's plain-text conventions: paragraphs, `## ` subheadings, `- ` items, nothing else."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.ingest.formats.html import html_to_text, inline_text, read_html


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>One.</p><p>Two.</p>", "One.\n\nTwo."),
        ("<p>Tom &amp; Jerry&#8217;s &lt;caf&eacute;&gt;</p>", "Tom & Jerry’s <café>"),
        ("<p>Spread\n   over\tlines</p>", "Spread over lines"),
        ("<p>A <b>bold</b>, <i>italic</i> and <a href='/x'>linked</a> word.</p>", "A bold, italic and linked word."),
        ("<h2>Sub</h2><p>Text.</p><h3>Third</h3><h4>Fourth</h4>", "## Sub\n\nText.\n\n## Third\n\n## Fourth"),
        ("<h1>Top</h1><h5>Small label</h5><h6>Smaller</h6>", "## Top\n\nSmall label\n\nSmaller"),
        ("<ul><li>one</li><li>two</li></ul>", "- one\n- two"),
        ("<ol><li>first</li><li>second</li></ol>", "- first\n- second"),
        ("<ul><li>outer<ul><li>inner</li></ul></li><li>last</li></ul>", "- outer\n- inner\n- last"),
        ("<ul><li><p>item in a paragraph</p></li></ul><p>After.</p>", "- item in a paragraph\n\nAfter."),
        ("<blockquote><p>Quoted one.</p><p>Quoted two.</p></blockquote>", "Quoted one.\n\nQuoted two."),
        ("<blockquote>A bare quote.</blockquote>", "A bare quote."),
        ("<p>Line one<br>line two</p>", "Line one\nline two"),
        ("<p>Para one<br><br>Para two</p>", "Para one\n\nPara two"),
        ("<p>Ends with a break<br></p>", "Ends with a break"),
        ("<p>&nbsp;</p><p>Real.</p><p> &nbsp; </p>", "Real."),
        ("<p>Non&nbsp;breaking</p>", "Non breaking"),
        ("<p>Teaser text [&#8230;]</p>", "Teaser text"),
        ("<p>Teaser text [&hellip;]</p>", "Teaser text"),
        ("<p>Teaser text […]</p>", "Teaser text"),
        ("<p>Teaser text [...]</p>", "Teaser text"),
        ("<p>He said “we will […] comply” today.</p>", "He said “we will […] comply” today."),
        ("<script>alert(1)</script><style>p {}</style><p>Kept.</p>", "Kept."),
        ("<iframe src='https://video.example'>Fallback</iframe><p>Kept.</p>", "Kept."),
        ("<form><input name='q'><button>Go</button></form><p>Kept.</p>", "Kept."),
        ("<noscript><img src='x'></noscript><p>Kept.</p>", "Kept."),
        ("<p>Text<img src='x.jpg' alt='an image'> goes on.</p>", "Text goes on."),
        ("<figure><img src='x.jpg'><figcaption>A caption.</figcaption></figure><p>Body.</p>", "Body."),
        ("<div>Loose text<p>A paragraph.</p>trailing text</div>", "Loose text\n\nA paragraph.\n\ntrailing text"),
        ("Bare text with no tags", "Bare text with no tags"),
        ("<p><strong>Bold heading</strong></p><p>Text.</p>", "## Bold heading\n\nText."),
        ("<p><strong>A bold sentence.</strong></p>", "A bold sentence."),
        ("<p><strong>Partly</strong> bold</p>", "Partly bold"),
        (
            "<table><tr><th>Team</th><th>Points</th></tr><tr><td>North</td><td>12</td></tr></table>",
            "Team | Points\n\nNorth | 12",
        ),
        ("<pre>line 1\nline 2\n\nline 3</pre>", "line 1\nline 2\n\nline 3"),
        ("<p>Unclosed <i>italic<p>Next", "Unclosed italic\n\nNext"),
        ("<!-- wp:paragraph --><p>Block editor.</p><!-- /wp:paragraph -->", "Block editor."),
        ("&lt;p&gt;Escaped twice &amp;amp; more&lt;/p&gt;", "Escaped twice & more"),
        ("", ""),
        ("   ", ""),
        ("<p></p><div> </div>", ""),
    ],
)
def test_html_becomes_the_body_conventions(html, text):
    assert html_to_text(html)[0] == text


def test_a_dropped_caption_and_a_double_escape_are_reported():
    _, warnings = html_to_text("<figure><img src='x'><figcaption>Cranes at dawn.</figcaption></figure><p>Body.</p>")
    assert warnings == ["Dropped 1 image caption(s) with their images: “Cranes at dawn.”."]
    _, warnings = html_to_text("&lt;p&gt;Twice&lt;/p&gt;")
    assert warnings == ["The HTML was escaped twice; read it once more."]


def test_a_teaser_marker_is_reported_as_a_teaser():
    assert read_html("<p>Cut here [&#8230;]</p>").teaser
    assert not read_html("<p>Whole.</p>").teaser


def test_link_texts_are_kept_with_their_paragraph():
    body = read_html("<p>The post <a href='a'>Title</a> appeared first on <a href='b'>Outlet</a>.</p><p>x</p>")
    assert [block.links for block in body.blocks] == [("Title", "Outlet"), ()]


def test_wordpress_stored_content_has_paragraphs_by_blank_lines_and_shortcodes():
    stored = (
        "First paragraph.\n\nSecond paragraph,\nwith a break.\n\n"
        '[caption id="attachment_5" width="300"]<img src="x.jpg" /> A heron.[/caption]\n\n'
        '[gallery ids="1,2"]\n\n<h2>Heading</h2>\nLast [embed]https://video.example/1[/embed] words.'
    )
    body = read_html(stored, raw_wordpress=True)
    assert body.text == "First paragraph.\n\nSecond paragraph,\nwith a break.\n\n## Heading\n\nLast words."
    assert body.warnings == ["Dropped 1 image caption(s) with their images: “A heron.”."]


def test_inline_text_flattens_a_title():
    assert inline_text("Market <b>moves</b>\n indoors") == "Market moves indoors"
    assert inline_text("A &lt;b&gt; tag") == "A <b> tag"


_TAGS = [
    "p",
    "div",
    "span",
    "b",
    "strong",
    "i",
    "a",
    "h1",
    "h2",
    "h3",
    "h5",
    "ul",
    "ol",
    "li",
    "blockquote",
    "br",
    "script",
    "style",
    "iframe",
    "figure",
    "figcaption",
    "img",
    "table",
    "tr",
    "td",
    "pre",
    "form",
    "svg",
]
_WORDS = st.text(alphabet=st.characters(blacklist_characters="<>&", blacklist_categories=("Cs",)), max_size=20)


@st.composite
def _markup(draw, depth=0):
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        if depth < 4 and draw(st.booleans()):
            tag = draw(st.sampled_from(_TAGS))
            attributes = draw(st.sampled_from(["", " class='x'", ' href="/a?b=1&amp;c=2"', " style='color:red'"]))
            parts.append(f"<{tag}{attributes}>{draw(_markup(depth + 1))}</{tag}>")
        else:
            parts.append(draw(_WORDS))
        if draw(st.booleans()):
            parts.append(draw(st.sampled_from(["&amp;", "&nbsp;", "&#8230;", "<br>", "<!-- c -->", "&eacute;"])))
    return "".join(parts)


@settings(max_examples=300, deadline=None)
@given(_markup())
def test_markup_never_comes_out_of_html_to_text(html):
    text, warnings = html_to_text(html)
    assert "<" not in text and ">" not in text
    assert "\x1e" not in text and "\x1f" not in text
    assert all(isinstance(warning, str) for warning in warnings)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_html_to_text_never_raises(html):
    text, _ = html_to_text(html)
    assert isinstance(text, str)
    assert "\n\n\n" not in text
