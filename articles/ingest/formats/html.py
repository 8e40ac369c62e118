"""Turn the HTML a feed carries into the body's plain-text conventions.

Bodies are stored as text: paragraphs separated by blank lines, `## ` subheadings, `- ` list items. The HTML is
sanitised with nh3 first (scripts, styles, frames, forms and embeds go with their content; every other unknown
tag is stripped to its text), then the tree a real HTML parser (lxml) builds is walked: block elements end
paragraphs, inline markup is flattened, entities are decoded by the parser. No regular expression ever reads the
markup; the few below read the text that comes out of it.

Figures go whole, caption included: the body has no place for the image, and a caption without its image reads
as a stray sentence (in text pieces, captions are mistaken for titles and subheadings). A dropped caption is
reported in the warnings, and the raw item keeps it.
"""

import re
from dataclasses import dataclass, field

import lxml.etree
import lxml.html
import nh3

from articles.ingest.formats.blocks import HEADING, LIST, PARAGRAPH, HtmlBlock

# A paragraph entirely in bold is a subheading when it is this short (the text parser's limit for subheadings).
MAX_BOLD_HEADING_WORDS = 12

_HEADINGS = frozenset({"h1", "h2", "h3", "h4"})
_MINOR_HEADINGS = frozenset({"h5", "h6"})
_LISTS = frozenset({"ul", "ol", "dl"})
_ITEMS = frozenset({"li", "dt", "dd"})
_CELLS = frozenset({"td", "th"})
_BLOCKS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "header",
        "footer",
        "main",
        "aside",
        "nav",
        "address",
        "center",
        "details",
        "summary",
        "blockquote",
        "pre",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "caption",
        "hr",
        "figure",
        "figcaption",
    }
    | _HEADINGS
    | _MINOR_HEADINGS
    | _LISTS
    | _ITEMS
)
_INLINE = frozenset(
    {
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "cite",
        "code",
        "data",
        "del",
        "dfn",
        "em",
        "font",
        "i",
        "ins",
        "kbd",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "sup",
        "time",
        "tt",
        "u",
        "var",
        "wbr",
        "br",
    }
)
_BOLD = frozenset({"b", "strong"})
_DROPPED = frozenset({"figure", "figcaption"})
_DROPPED_WITH_CONTENT = frozenset(
    {
        "script",
        "style",
        "iframe",
        "frame",
        "frameset",
        "form",
        "noscript",
        "object",
        "embed",
        "applet",
        "svg",
        "math",
        "video",
        "audio",
        "canvas",
        "button",
        "select",
        "textarea",
        "template",
        "head",
        "title",
        "map",
    }
)
_CLEANER = nh3.Cleaner(
    tags=set(_BLOCKS | _INLINE | _CELLS),
    clean_content_tags=set(_DROPPED_WITH_CONTENT),
    attributes={},
    link_rel=None,
    strip_comments=True,
)

# Markers put into the text stream while walking; none of them can come out of the parser as text.
_LINE_BREAK = "\n"
_PARAGRAPH_BREAK = "\x1e"
_CELL_BREAK = "\x1f"
_SPACE_RE = re.compile(r"[ \t\n\r\f\v]+")
_SPACE_KEEP_LINES_RE = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES_RE = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_SPACES_RE = re.compile(r" {2,}")
# WordPress teaser markers at the end of an excerpt: "[…]", "[...]", "[ … ]".
_TEASER_RE = re.compile(r"\s*\[\s*(?:…|\.\.\.)\s*\]\s*$")
# Shortcodes in the post content of a WordPress export (feeds carry them already rendered).
_CAPTION_SHORTCODE_RE = re.compile(r"\[caption\b[^\]]*\](.*?)\[/caption\]", re.DOTALL)
_MEDIA_SHORTCODE_RE = re.compile(r"\[(gallery|playlist|audio|video|embed)\b[^\]]*\](?:.*?\[/\1\])?", re.DOTALL)
_CLOSING_PUNCTUATION = ".,;:…"
# Tags that, found in the text after one reading, show the HTML was escaped twice.
_ESCAPED_TAGS = frozenset({"p", "div", "br", "a", "b", "i", "em", "strong", "span", "ul", "ol", "li", "h2", "h3"})


@dataclass
class HtmlBody:
    blocks: list[HtmlBlock] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    teaser: bool = False

    @property
    def text(self) -> str:
        """Return the body in its plain-text conventions."""
        return "\n\n".join(block.text for block in self.blocks)


def html_to_text(html: str) -> tuple[str, list[str]]:
    """Return the text of `html` in the body's conventions and the warnings its conversion gave.

    Never raises and never returns markup: what is not text is dropped, and entities are decoded.
    """
    body = read_html(html)
    return body.text, body.warnings


def inline_text(html: str) -> str:
    """Return `html` flattened to one line of text (for titles and names that arrive as HTML)."""
    blocks = _read(html or "", raw_wordpress=False).blocks
    return " ".join(" ".join(block.text.removeprefix("## ").split()) for block in blocks)


def read_html(html: str, *, raw_wordpress: bool = False) -> HtmlBody:
    """Return the blocks of `html` (paragraphs, subheadings, lists) with the link texts and warnings of each.

    With `raw_wordpress`, `html` is a post as WordPress stores it (as in an export): blank lines separate
    paragraphs, single line breaks are breaks, and shortcodes such as `[caption]` mark media.
    """
    body = _read(html or "", raw_wordpress=raw_wordpress)
    if any("<" in block.text and ">" in block.text for block in body.blocks) and _holds_markup(body.text):
        again = _read(body.text, raw_wordpress=raw_wordpress)
        again.warnings.insert(0, "The HTML was escaped twice; read it once more.")
        return again
    return body


def _read(html: str, *, raw_wordpress: bool) -> HtmlBody:
    body = HtmlBody()
    if not html.strip():
        return body
    cleaned = _CLEANER.clean(html)
    if not cleaned.strip():
        return body
    try:
        root = lxml.html.fragment_fromstring(cleaned, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return body
    _Walker(body, raw_wordpress=raw_wordpress).walk(root)
    return body


def _holds_markup(text: str) -> bool:
    try:
        root = lxml.html.fragment_fromstring(text, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return False
    return any(isinstance(element.tag, str) and element.tag in _ESCAPED_TAGS for element in root.iterdescendants())


class _Walker:
    """Walk a sanitised tree once, collecting inline text until a block element ends it."""

    def __init__(self, body: HtmlBody, *, raw_wordpress: bool):
        self.body = body
        self.raw_wordpress = raw_wordpress
        self.parts: list[tuple[str, bool]] = []  # (text, in bold)
        self.links: list[str] = []
        self.link_starts: list[int] = []
        self.bold = 0
        self.pre = 0
        self.kinds: list[str] = []
        self.list_depth = 0
        self.list_items: list[str] = []
        self.list_links: list[str] = []
        self.skipping: lxml.etree._Element | None = None
        self.dropped_captions: list[str] = []

    def walk(self, root) -> None:
        for event, element in lxml.etree.iterwalk(root, events=("start", "end")):
            tag = element.tag if isinstance(element.tag, str) else None
            if element is root:
                if event == "start" and root.text:
                    self.add_text(root.text)
            elif event == "start":
                self.start(element, tag)
            else:
                self.end(element, tag)
        self.flush()
        self.close_list()
        if self.dropped_captions:
            shown = "; ".join(f"“{caption[:80]}”" for caption in self.dropped_captions[:3])
            count = len(self.dropped_captions)
            self.body.warnings.append(f"Dropped {count} image caption(s) with their images: {shown}.")

    def start(self, element, tag: str | None) -> None:
        if self.skipping is not None:
            return
        if tag in _DROPPED:
            caption = " ".join(element.text_content().split())
            if caption:
                self.dropped_captions.append(caption)
            self.skipping = element
            return
        if tag in _BLOCKS or tag in _CELLS:
            if tag in _CELLS:
                self.add_marker(_CELL_BREAK)
            else:
                self.flush()
            if tag in _LISTS:
                self.list_depth += 1
            self.kinds.append(tag)
            if tag == "pre":
                self.pre += 1
        elif tag == "br":
            self.add_marker(_LINE_BREAK)
        elif tag == "a":
            self.link_starts.append(len(self.parts))
        elif tag in _BOLD:
            self.bold += 1
        if element.text and tag is not None:
            self.add_text(element.text)

    def end(self, element, tag: str | None) -> None:
        if self.skipping is not None:
            if element is not self.skipping:
                return
            self.skipping = None
        elif tag in _BLOCKS or tag in _CELLS:
            if tag not in _CELLS:
                self.flush()
            if self.kinds:
                self.kinds.pop()
            if tag == "pre":
                self.pre -= 1
            if tag in _LISTS:
                self.list_depth -= 1
                if self.list_depth == 0:
                    self.close_list()
        elif tag == "a" and self.link_starts:
            start = self.link_starts.pop()
            text = " ".join("".join(part for part, _ in self.parts[start:]).split())
            if text:
                self.links.append(text)
        elif tag in _BOLD:
            self.bold -= 1
        if element.tail:
            self.add_text(element.tail)

    def add_text(self, text: str) -> None:
        if self.pre or self.raw_wordpress:
            text = _BLANK_LINES_RE.sub(_PARAGRAPH_BREAK, text)
            text = _SPACE_KEEP_LINES_RE.sub(" ", text)
        elif "  " in text or not text.isprintable():  # most text nodes are one line of single spaces
            text = _SPACE_RE.sub(" ", text)
        self.parts.append((text.replace("\xa0", " "), self.bold > 0))

    def add_marker(self, marker: str) -> None:
        self.parts.append((marker, self.bold > 0))

    def kind(self) -> str:
        for tag in reversed(self.kinds):
            if tag in _ITEMS:
                return LIST
            if tag in _HEADINGS:
                return HEADING
            if tag in _MINOR_HEADINGS:
                return PARAGRAPH
        return PARAGRAPH

    def flush(self) -> None:
        """End the paragraph being collected: turn its text into blocks of the body."""
        if not self.parts:
            self.links = []
            return
        parts, links = self.parts, self.links
        self.parts, self.links, self.link_starts = [], [], []
        text = "".join(part for part, _ in parts)
        if self.raw_wordpress:
            text = self.drop_shortcodes(text)
        kind = self.kind()
        bold_only = kind == PARAGRAPH and all(bold or not part.strip() for part, bold in parts)
        for paragraph in self.paragraphs(text):
            if kind == LIST:
                self.list_items.append(" ".join(paragraph.split("\n")))
                self.list_links.extend(links)
            elif kind == HEADING or (bold_only and _heading_like(paragraph)):
                self.close_list()
                self.body.blocks.append(HtmlBlock(HEADING, "## " + " ".join(paragraph.split("\n")), tuple(links)))
            else:
                self.close_list()
                self.body.blocks.append(HtmlBlock(PARAGRAPH, paragraph, tuple(links)))

    def paragraphs(self, text: str) -> list[str]:
        """Split collected text into paragraphs: at paragraph breaks and at empty lines (two `<br>`s in a row)."""
        paragraphs = []
        for chunk in text.split(_PARAGRAPH_BREAK):
            lines: list[str] = []
            for raw_line in chunk.split(_LINE_BREAK):
                cells = (cell.strip() for cell in raw_line.split(_CELL_BREAK))
                line = " | ".join(cell for cell in cells if cell)
                if "  " in line:
                    line = _SPACES_RE.sub(" ", line)
                line = line.strip()
                if line:
                    lines.append(line)
                elif lines:
                    paragraphs.append("\n".join(lines))
                    lines = []
            if lines:
                paragraphs.append("\n".join(lines))
        kept = []
        for paragraph in paragraphs:
            if paragraph.endswith("]") and _TEASER_RE.search(paragraph):
                paragraph = _TEASER_RE.sub("", paragraph)
                self.body.teaser = True
            if paragraph.strip():
                kept.append(paragraph)
        return kept

    def drop_shortcodes(self, text: str) -> str:
        def caption(match: re.Match) -> str:
            words = " ".join(match[1].split())
            if words:
                self.dropped_captions.append(words)
            return ""

        text = _CAPTION_SHORTCODE_RE.sub(caption, text)
        return _MEDIA_SHORTCODE_RE.sub("", text)

    def close_list(self) -> None:
        if self.list_items:
            text = "\n".join(f"- {item}" for item in self.list_items)
            self.body.blocks.append(HtmlBlock(LIST, text, tuple(self.list_links)))
        self.list_items, self.list_links = [], []


def _heading_like(paragraph: str) -> bool:
    words = paragraph.split()
    return (
        "\n" not in paragraph
        and 1 <= len(words) <= MAX_BOLD_HEADING_WORDS
        and paragraph[-1] not in _CLOSING_PUNCTUATION
        and any(char.isalpha() for char in paragraph)
    )
