"""Read the structure of a syndicated piece: title, byline, body, subheadings and the footer naming the outlet.

Structure only: the words are left as they arrived (cleaning is `clean.py`'s job). What is certain is taken, what
is guessed is reported in `warnings`, and no body text is dropped; page chrome and footers never reach the body.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from articles.ingest.bylines import (
    MAX_BYLINE_CHARS,
    PERSON,
    AuthorName,
    looks_like_byline,
    parse_byline,
    starts_like_byline,
    strip_by,
)
from articles.ingest.chrome import PAGE_CHROME, in_theme_section, is_chrome_line, may_be_chrome, opens_theme_section
from articles.ingest.clean import Edit
from articles.ingest.formats.blocks import HEADING, LIST, PARAGRAPH, HtmlBlock
from articles.ingest.formats.fields import ItemFields

HEADING_PREFIX = "## "
# A derived title keeps this many words of the first sentence.
DERIVED_TITLE_WORDS = 12
# Where a piece's title came from (`ParsedPiece.title_from`). Only a title given as the title (the piece's header,
# an item's own title) names the piece; one read from its footer or its last line, or made from its first sentence,
# is a guess, and the importer never lets a guess decide that a piece is an article already stored (`plan.py`).
TITLE_GIVEN = "given"
TITLE_FROM_FOOTER = "footer"
TITLE_FROM_LAST_LINE = "last line"
TITLE_FROM_FIRST_SENTENCE = "first sentence"
NO_SOURCE_WARNING = "The piece does not name its source."
NO_ITEM_SOURCE_WARNING = "The item does not name its source."
# Lines longer than this are prose, never a title, subheading or category line.
MAX_TITLE_WORDS = 30
MAX_SUBHEADING_WORDS = 12
MAX_SUBHEADING_CHARS = 120

_DATE_PREFIX_RE = re.compile(r"\A\s*date\s+(\d{4})-(\d{2})-(\d{2})\s+", re.IGNORECASE)
# Footer wordings of syndication templates: "The post <title> appeared first on <source>." as WordPress sites word
# it (Yoast SEO's default and its translations: Spanish, Romanian, Portuguese, French, German, Italian) and as
# other plugins do ("first appeared on", "was syndicated from"). The title may be empty and the footer may be
# glued to the last word.
_FOOTER_RE = re.compile(
    r"The[ \t]+post\s+(?P<title>[^\n]*?)\s*(?:appeared[ \t]+first[ \t]+on|first[ \t]+appeared[ \t]+on)\s+"
    r"(?P<source>[^\n]+?)(?:\.(?=\s|$)|\s*$)"
    r"|This[ \t]+(?:post|article)[ \t]+was[ \t]+syndicated[ \t]+from\s+"
    r"(?P<syndicated>[^\n]+?)(?:\.(?=\s|$)|\s*$)[^\n]*",
    re.MULTILINE,
)
_LOCALIZED_OPENERS = (
    r"La[ \t]+entrada|Articolul|O[ \t]+post|L[’']article|Cet[ \t]+article|Der[ \t]+Beitrag|L[’']articolo"
)
_LOCALIZED_VERBS = (
    r"se[ \t]+publicó[ \t]+primero[ \t]+en|apare[ \t]+prima[ \t]+dată[ \t]+în|apareceu[ \t]+primeiro[ \t]+em"
    r"|est[ \t]+apparu[ \t]+en[ \t]+premier[ \t]+sur|erschien[ \t]+zuerst[ \t]+auf|proviene[ \t]+da"
)
_LOCALIZED_FOOTER_RE = re.compile(
    rf"(?:{_LOCALIZED_OPENERS})\s+(?P<title>[^\n]*?)\s*(?:{_LOCALIZED_VERBS})\s+"
    r"(?P<source>[^\n]+?)(?:\.(?=\s|$)|\s*$)(?P<syndicated>)",
    re.MULTILINE,
)
# A word of each localized wording, looked for near the end, where a footer is: a piece without any of them there is
# not searched for those footers (their alternation of openers defeats the regular expression engine's fast scan,
# and searching a whole piece would cost more than parsing it).
_LOCALIZED_FOOTER_HINTS = ("publicó", "prima dat", "apareceu", "apparu", "erschien", "proviene")
LOCALIZED_FOOTER_WINDOW = 600
# The same wordings as a paragraph of their own (a feed's footer paragraph): the source runs to the final stop.
_FOOTER_PARAGRAPH_RE = re.compile(
    rf"(?:The[ \t]+post|{_LOCALIZED_OPENERS})\s+(?P<title>.*?)\s*"
    rf"(?:appeared[ \t]+first[ \t]+on|first[ \t]+appeared[ \t]+on|{_LOCALIZED_VERBS})\s+(?P<source>.+?)\s*\.?\s*"
    r"|This[ \t]+(?:post|article)[ \t]+was[ \t]+syndicated[ \t]+from\s+(?P<syndicated>.+?)\s*\.?\s*",
    re.DOTALL,
)
# "The post Bitcoin Cash Price " at the very end: the footer itself was cut off, so the piece was.
_CUT_FOOTER_RE = re.compile(r"The post\b[^\n]*\s*\Z")
_CHROME_TOKEN_RE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
_CHROME_LINE_RE = re.compile(r"^(?:ID:\s*\d+|home\b.*\bFull Article)$", re.IGNORECASE)
_CONTINUED_RE = re.compile(r"(?<=…)\s*(?:Continued|Read More)\s*$", re.IGNORECASE)
# "Vanguardngr | 24-01-2026 08:34pm |": an aggregator's outlet-and-date line where a byline would be.
_OUTLET_DATE_RE = re.compile(
    r"^(?P<outlet>[^|]+?)\s*\|\s*(?P<day>\d{1,2})-(?P<month>\d{1,2})-(?P<year>\d{4})"
    r"(?:\s+(?P<hour>\d{1,2}):(?P<minute>\d{2})\s*(?P<ampm>[ap]m)?)?\s*\|?\s*$",
    re.IGNORECASE,
)
# "By Clifford Ndujihe ON December 31 ...": names, then an upper-case word or a dash opens the lede.
_INLINE_BYLINE_RE = re.compile(
    r"^By\s+(?P<names>[A-Z][\w’'.-]*(?:\s+(?:and\s+|&\s+)?[A-Z][a-z][\w’'.-]*){0,5}),?\s+(?=[A-Z]{2,}\b|[–—-]\s)"
)
# "By A", "A and B", "A & B", "A / B": an author field that holds a whole byline rather than one name.
_BYLINE_LIKE_RE = re.compile(r"^by\s|\s(?:and|&)\s|\s/\s", re.IGNORECASE)
_TEASER_TEXT_RE = re.compile(r"\s*\[\s*(?:…|\.\.\.|&hellip;|&#8230;)\s*\]\s*\Z")
_BULLET_RE = re.compile(r"^[•●▪◦·*\-–]\s+(?P<item>\S.*)$")
_NUMBERED_RE = re.compile(r"^\d{1,2}[.)]\s+\S")
_WORD_RE = re.compile(r"\S+")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])")
_ABBREVIATIONS = frozenset(
    [
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "gen",
        "sen",
        "gov",
        "rep",
        "st",
        "jr",
        "sr",
        "lt",
        "col",
        "capt",
        "hon",
        "no",
        "vs",
        "mt",
        "rev",
        "inc",
        "co",
        "ltd",
        "corp",
        "dept",
        "est",
        "approx",
    ]
)
_NORMALISE_TABLE = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


@dataclass
class ParsedPiece:
    title: str
    title_derived: bool = False
    title_from: str = TITLE_GIVEN
    byline: str | None = None
    authors: list[AuthorName] = field(default_factory=list)
    source_name: str | None = None
    published_at: datetime | None = None
    summary: str = ""
    body: str = ""
    subheadings: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    edits: list[Edit] = field(default_factory=list)
    truncated: bool = False
    # What an item of a feed or export brings beyond a text piece (a text piece leaves them empty).
    format: str = "text"
    external_id: str | None = None
    link: str | None = None
    tags: list[str] = field(default_factory=list)
    updated_at: datetime | None = None
    language: str | None = None
    status: str | None = None
    # The language read from the text (`language.detect_language`) when the piece declares none; "" when unsure.
    detected_language: str = ""


@dataclass
class _Footer:
    start: int
    end: int
    title: str | None
    source: str | None


def parse_piece(text: str) -> ParsedPiece:
    """Return the structure of a piece of text shaped like the aggregator template, with warnings for guesses.

    Pure and total: any string gives a `ParsedPiece` with a title, so a damaged piece is imported for an editor
    to fix rather than lost.
    """
    warnings: list[str] = []
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    published_at = None
    date_prefix = _DATE_PREFIX_RE.match(text)
    if date_prefix:
        published_at = _aware(int(date_prefix[1]), int(date_prefix[2]), int(date_prefix[3]))
        text = text[date_prefix.end() :]

    text, footer_title, source_name, truncated = _split_footer(text, warnings)
    edits: list[Edit] = []
    lines = _body_lines(text, edits)

    source_from_banner = _take_banner(lines, warnings) if source_name is None else _drop_banner(lines)
    if source_name is None and source_from_banner:
        source_name = source_from_banner

    title, title_from = _take_title(lines, footer_title, warnings)

    byline, authors, published, outlet = _take_byline(lines, warnings)
    published_at = published_at or published
    if source_name is None and outlet:
        source_name = outlet
        warnings.append(f"Source “{outlet}” taken from the line under the title, not from a footer.")

    blocks = _blocks(lines, title)
    title_derived = title is None
    if title_derived:
        title, title_from = _derive_title(blocks), TITLE_FROM_FIRST_SENTENCE
        warnings.append(f"The piece has no title; derived “{title}” from its first sentence.")

    body_lines, subheadings, summary = _render(blocks)
    if not truncated and footer_title is None and source_name is None and body_lines:
        last = body_lines[-1]
        if not last.startswith("## ") and not _ends_closed(last):
            truncated = True
            warnings.append("The piece ends mid-sentence and has no footer: it looks cut off.")
    if source_name is None:
        warnings.append(NO_SOURCE_WARNING)
    return ParsedPiece(
        title=title,
        title_derived=title_derived,
        title_from=title_from,
        byline=byline,
        authors=authors,
        source_name=source_name,
        published_at=published_at,
        summary=summary,
        body="\n\n".join(body_lines),
        subheadings=subheadings,
        warnings=warnings,
        edits=edits,
        truncated=truncated,
    )


def _ends_closed(line: str) -> bool:
    """Return whether `line` ends with closing punctuation, quotes and brackets after it set aside."""
    stripped = line.rstrip("\"'”’)] ")
    return bool(stripped) and stripped[-1] in ".!?…:;,"


def same_title(first: str, second: str) -> bool:
    """Return whether two titles are the same once quotes, dashes, case and spacing are set aside."""
    return _title_key(first) == _title_key(second)


def _title_key(title: str) -> str:
    if not title.isascii():  # the quotes and dashes to normalise are not ASCII: most titles skip the translation
        title = title.translate(_NORMALISE_TABLE)
    return " ".join(title.casefold().split()).rstrip(" .")


def _aware(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime | None:
    try:
        return datetime(year, month, day, hour, minute, tzinfo=UTC)
    except ValueError:
        return None


def _footer_matches(text: str) -> list[re.Match]:
    """Return the footers in `text`, in every wording, in the order they appear."""
    matches = list(_FOOTER_RE.finditer(text))
    tail = text[-LOCALIZED_FOOTER_WINDOW:]
    if any(hint in tail for hint in _LOCALIZED_FOOTER_HINTS):
        # From far enough back that a footer whose verb is in the window starts inside the search.
        matches.extend(_LOCALIZED_FOOTER_RE.finditer(text, max(0, len(text) - 2 * LOCALIZED_FOOTER_WINDOW)))
        matches.sort(key=lambda match: match.start())
    return matches


def _split_footer(text: str, warnings: list[str]) -> tuple[str, str | None, str | None, bool]:
    footers = [
        _Footer(
            m.start(),
            m.end(),
            " ".join(m["title"].split()) if m["title"] is not None else None,
            " ".join((m["source"] or m["syndicated"] or "").split()) or None,
        )
        for m in _footer_matches(text)
    ]
    if not footers:
        cut = _CUT_FOOTER_RE.search(text)
        if cut and "\n" not in text[cut.start() :].strip():
            warnings.append("The piece is cut off inside its footer; title and source may be missing.")
            return text[: cut.start()], None, None, True
        return text, None, None, False

    # Footers with only whitespace between them (a post footer then a syndication note) end the piece together;
    # an earlier footer followed by more text separates the items of a digest, whose text is all kept.
    group = [footers[-1]]
    for footer in reversed(footers[:-1]):
        if text[footer.end : group[0].start].strip():
            break
        group.insert(0, footer)
    earlier = footers[: len(footers) - len(group)]
    tail = text[group[-1].end :]
    dropped = [line.strip() for line in tail.split("\n") if len(line.split()) > 20]
    if dropped:
        warnings.append(f"Dropped text after the footer: “{dropped[0][:80]}”.")

    body = text[: group[0].start]
    for footer in reversed(earlier):
        body = body[: footer.start] + "\n" + body[footer.end :]
    if earlier:
        warnings.append(f"The piece is a digest of {len(earlier) + 1} items; their footers were removed.")

    titled = [f for f in footers if f.title is not None]
    title = next((f.title.strip() for f in titled if f.title.strip()), None)
    if titled and title is None:
        warnings.append("The footer has an empty title slot.")
    sources = [f.source for f in group + earlier if f.source]
    source = sources[0] if sources else None
    return body, title, source, False


def _body_lines(text: str, edits: list[Edit]) -> list[str]:
    """Return the text's non-empty lines, hard-wrapped paragraphs joined, page chrome and trailers dropped (each drop
    logged in `edits`, at its offset in `text`): a trailer is never a title or body text."""
    lines = []
    position, in_section = 0, False
    for raw in text.split("\n"):
        offset, position = position, position + len(raw) + 1
        line = raw.strip()
        if not line:
            continue
        if in_section or "_" in line or may_be_chrome(line):
            in_section = opens_theme_section(line) or (in_section and in_theme_section(line))
            if in_section or _is_page_chrome(line):
                edits.append(Edit(PAGE_CHROME, line, "", offset + raw.index(line[0])))
                continue
        if "…" in line:
            line = _CONTINUED_RE.sub("", line)
        # A line that starts in lower case continues a hard-wrapped paragraph.
        if lines and line[0].islower() and not _ends_closed(lines[-1]) and not _BULLET_RE.match(line):
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
    return lines


def _is_page_chrome(line: str) -> bool:
    if _CHROME_LINE_RE.match(line) or is_chrome_line(line):
        return True
    return "_" in line and bool(_CHROME_TOKEN_RE.search(line)) and len(line.split()) <= 10


def _is_short_line(line: str, max_words: int = 6) -> bool:
    return len(line.split()) <= max_words and not _ends_closed(line)


def _take_banner(lines: list[str], warnings: list[str]) -> str | None:
    """Remove an outlet name printed as the first and last line (a publisher page), and return it."""
    if len(lines) >= 3 and lines[0] == lines[-1] and _is_short_line(lines[0]):
        banner = lines[0]
        del lines[0], lines[-1]
        warnings.append(f"Source “{banner}” taken from the banner line around the piece, not from a footer.")
        return banner
    return None


def _drop_banner(lines: list[str]) -> None:
    if len(lines) >= 3 and lines[0] == lines[-1] and _is_short_line(lines[0]):
        del lines[0], lines[-1]


def _title_like(line: str) -> bool:
    words = len(line.split())
    if not 1 <= words <= MAX_TITLE_WORDS or _BULLET_RE.match(line):
        return False
    return not _ends_closed(line) or (line.endswith(("?", "!")) and words <= 20)


def _take_title(lines: list[str], footer_title: str | None, warnings: list[str]) -> tuple[str | None, str]:
    """Remove the header title lines (and any category lines above a repeated title); return the title and where
    it came from (`TITLE_GIVEN`, `TITLE_FROM_FOOTER`, `TITLE_FROM_LAST_LINE`; None when the piece has none)."""
    pair = next((k for k in range(min(3, len(lines) - 1)) if lines[k] == lines[k + 1] and _title_like(lines[k])), None)
    if pair is not None:
        header, dropped = lines[pair], lines[:pair]
        del lines[: pair + 2]
        for line in dropped:
            warnings.append(f"Dropped the line above the title: “{line}”.")
        if footer_title and not same_title(header, footer_title):
            warnings.append(
                f"The repeated line “{header}” differs from the footer's title; took it for a caption and used the "
                "footer's title."
            )
            return footer_title, TITLE_FROM_FOOTER
        return header, TITLE_GIVEN

    if lines and _title_like(lines[0]) and not looks_like_byline(lines[0]):
        header = lines[0]
        followed_by_list = len(lines) > 1 and _BULLET_RE.match(lines[1])
        if footer_title:
            if same_title(header, footer_title):
                del lines[0]
                return header, TITLE_GIVEN
            # A category line above the title: drop it only when the title itself follows.
            if len(lines) > 1 and same_title(lines[1], footer_title) and _is_short_line(header, 4):
                warnings.append(f"Dropped the line above the title: “{header}”.")
                del lines[:2]
                return footer_title, TITLE_GIVEN
            if len(header.split()) <= MAX_SUBHEADING_WORDS:
                warnings.append(f"The footer's title “{footer_title}” differs from the first line “{header}”.")
            return footer_title, TITLE_FROM_FOOTER
        if not followed_by_list:
            del lines[0]
            return header, TITLE_GIVEN
    if footer_title:
        return footer_title, TITLE_FROM_FOOTER
    # A publisher page may print the title after the body.
    if len(lines) >= 2 and _title_like(lines[-1]) and _ends_closed(lines[-2]) and len(lines[-1].split()) >= 3:
        warnings.append("Title taken from the last line of the piece.")
        return lines.pop(), TITLE_FROM_LAST_LINE
    return None, TITLE_FROM_FIRST_SENTENCE


def _take_byline(
    lines: list[str], warnings: list[str]
) -> tuple[str | None, list[AuthorName], datetime | None, str | None]:
    byline, authors, published, outlet = None, [], None, None
    if lines:
        outlet_line = _OUTLET_DATE_RE.match(lines[0])
        if outlet_line:
            published, outlet = _outlet_date(outlet_line), outlet_line["outlet"].strip()
            del lines[0]
    if lines and looks_like_byline(lines[0]):
        byline = strip_by(lines.pop(0))
        authors = parse_byline(byline)
        if "|" in byline:
            byline, _, rest = byline.partition("|")
            byline = byline.strip()
            outlet = outlet or rest.strip(" |") or None
    elif lines:
        inline = _INLINE_BYLINE_RE.match(lines[0])
        if inline and looks_like_byline(f"By {inline['names']}"):
            byline = inline["names"]
            authors = parse_byline(byline)
            lines[0] = lines[0][inline.end() :]
        elif starts_like_byline(lines[0]):
            shown = lines[0] if len(lines[0]) <= 100 else lines[0][:100] + "…"
            warnings.append(
                "The line under the title starts with “By” but could not be read as a byline; it was kept in the "
                f"body and no author was taken from it: “{shown}”."
            )
    return byline, authors, published, outlet


def _outlet_date(match: re.Match) -> datetime | None:
    hour, minute = int(match["hour"] or 0), int(match["minute"] or 0)
    ampm = (match["ampm"] or "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    return _aware(int(match["year"]), int(match["month"]), int(match["day"]), hour, minute)


def _blocks(lines: list[str], title: str | None) -> list[str]:
    # The template repeats the title as a first subheading, and publisher pages print it again after the body.
    if title is None:
        return list(lines)
    key = _title_key(title)
    longest = len(title) + 10
    return [line for line in lines if len(line) > longest or _title_key(line) != key]


def _is_subheading(line: str) -> bool:
    # Cheap tests first: most lines are paragraphs that end with a full stop.
    if len(line) > MAX_SUBHEADING_CHARS or _ends_closed(line):
        return False
    words = line.split()
    if not 1 <= len(words) <= MAX_SUBHEADING_WORDS:
        return False
    if _NUMBERED_RE.match(line):
        return True
    if line.startswith(("By ", "BY ")) and starts_like_byline(line):
        return False  # a byline that could not be read (reported as such), not a heading
    return line[0].isupper() and not line[-1].isdigit() and any(char.isalpha() for char in line)


def _render(blocks: list[str]) -> tuple[list[str], list[str], str]:
    body_lines, subheadings, summary = [], [], ""
    for index, block in enumerate(blocks):
        if block.startswith(HEADING_PREFIX) and block[len(HEADING_PREFIX) :].strip():
            # Already in the body's own convention (a body exported or written as text).
            subheadings.append(block[len(HEADING_PREFIX) :].strip())
            body_lines.append(block)
            continue
        bullet = _BULLET_RE.match(block)
        if bullet:
            # Consecutive bullets form one list: one paragraph of "- item" lines.
            item = f"- {bullet['item']}"
            if body_lines and body_lines[-1].startswith("- ") and index and _BULLET_RE.match(blocks[index - 1]):
                body_lines[-1] += f"\n{item}"
            else:
                body_lines.append(item)
            continue
        # A heading at the very end is a sentence cut short, not a heading.
        if index < len(blocks) - 1 and _is_subheading(block):
            subheadings.append(block)
            body_lines.append(f"## {block}")
            continue
        body_lines.append(block)
        if not summary:
            summary = block
    if not summary and body_lines:
        summary = body_lines[0].removeprefix("## ").removeprefix("- ")
    return body_lines, subheadings, summary


def first_sentence(paragraph: str) -> str:
    """Return the first sentence of `paragraph` (the whole of it when no sentence end is found)."""
    for match in _SENTENCE_END_RE.finditer(paragraph):
        before = paragraph[: match.start()].rstrip("\"'”’)]")
        last_word = before.rsplit(None, 1)[-1] if before.split() else ""
        # "Dr." and "U.S." end abbreviations, not sentences.
        if last_word.rstrip(".").casefold() in _ABBREVIATIONS or len(last_word) == 2 or last_word.count(".") > 1:
            continue
        return paragraph[: match.start()].strip() + paragraph[match.start() : match.end()].strip()
    return paragraph.strip()


def _derive_title(blocks: list[str]) -> str:
    prose = [block for block in blocks if not _is_subheading(block)] or blocks
    for block in prose:
        text = _BULLET_RE.sub(r"\g<item>", block)
        words = first_sentence(text).split()
        if len(words) > DERIVED_TITLE_WORDS:
            return " ".join(words[:DERIVED_TITLE_WORDS]).rstrip(",;:") + "…"
        title = " ".join(words).rstrip(".")
        if any(char.isalnum() for char in title):
            return title
    return "Untitled"


def match_footer(paragraph: str, links: tuple[str, ...] = ()) -> tuple[str | None, str | None] | None:
    """Return (title, source) when `paragraph` is a footer on its own, else None.

    In HTML the footer's title and outlet are usually links: with two or more, their texts are taken (so a
    title that itself contains "appeared first on", or an outlet with a full stop in its name, reads right).
    """
    match = _FOOTER_PARAGRAPH_RE.fullmatch(paragraph.strip())
    if match is None:
        return None
    title = " ".join(match["title"].split()) if match["title"] is not None else None
    source = " ".join((match["source"] or match["syndicated"] or "").split()) or None
    if len(links) >= 2 and match["title"] is not None:
        first, last = links[0], links[-1]
        if paragraph.find(first) < paragraph.rfind(last) and paragraph.rstrip(" .").endswith(last):
            title, source = first, last
    return title or None, source


@dataclass
class _ItemBody:
    blocks: list[HtmlBlock] = field(default_factory=list)
    footer_title: str | None = None
    footer_source: str | None = None
    byline: str | None = None
    byline_authors: list[AuthorName] = field(default_factory=list)
    outlet: str | None = None
    truncated: bool = False
    edits: list[Edit] = field(default_factory=list)


def parse_item(fields: ItemFields) -> ParsedPiece:
    """Return the `ParsedPiece` of one feed or export item, built as a text piece's is.

    The title is the item's (a `Protected: ` prefix kept as WordPress sends it, runs of spaces made one); the
    body is its HTML in the body's conventions (or its text read as a text piece's body), with the footer split
    off; the source is the footer's, else the item's own, else the feed's title, with a warning saying which.
    Authors are the item's, read as a byline where one is written as one ("By A and B"); else the byline at
    the top of the body. Pure and total: any fields give a piece with a title.
    """
    warnings = list(fields.warnings)
    title = " ".join((fields.title or "").split()) or None
    if fields.html is not None and fields.html.strip():
        body = _html_body(fields.html, title, warnings, raw_wordpress=fields.raw_wordpress)
    else:
        body = _text_body(fields.text or "", title, warnings)

    summary, summary_source = _item_summary(fields, body, warnings)
    title_from = TITLE_GIVEN
    if title is None and body.footer_title:
        title, title_from = body.footer_title, TITLE_FROM_FOOTER
    elif title and body.footer_title and not same_title(title, body.footer_title):
        warnings.append(f"The footer's title “{body.footer_title}” differs from the item's title.")
    title_derived = False
    texts = [block.text for block in body.blocks]
    if title is None:
        title = _derive_title([text.removeprefix(HEADING_PREFIX) for text in texts]) if texts else "Untitled"
        title_derived, title_from = True, TITLE_FROM_FIRST_SENTENCE
        warnings.append(f"The item has no title; derived “{title}” from its first sentence.")

    authors = _item_authors(fields.authors)
    byline = ", ".join(author.name for author in authors) or None
    if body.byline:
        if not authors:
            byline, authors = body.byline, body.byline_authors
        elif {a.name.casefold() for a in body.byline_authors} != {a.name.casefold() for a in authors}:
            warnings.append(f"The byline “{body.byline}” in the body differs from the item's authors; kept theirs.")

    source_name = _item_source(fields, body, summary_source, warnings)
    if not summary:
        summary = next((block.text for block in body.blocks if block.kind == PARAGRAPH), "")
        if not summary and texts:
            summary = texts[0].removeprefix(HEADING_PREFIX).removeprefix("- ")
    return ParsedPiece(
        title=title,
        title_derived=title_derived,
        title_from=title_from,
        byline=byline,
        authors=authors,
        source_name=source_name,
        published_at=fields.published_at,
        summary=summary,
        body="\n\n".join(texts),
        subheadings=[block.text.removeprefix(HEADING_PREFIX) for block in body.blocks if block.kind == HEADING],
        warnings=warnings,
        edits=body.edits,
        truncated=body.truncated,
        format=fields.format,
        external_id=fields.external_id,
        link=fields.link,
        tags=list(fields.tags),
        updated_at=fields.updated_at,
        language=fields.language,
        status=fields.status,
    )


def _html_body(html: str, title: str | None, warnings: list[str], *, raw_wordpress: bool) -> _ItemBody:
    converted = _read_html(html, raw_wordpress=raw_wordpress)
    warnings.extend(converted.warnings)
    body = _ItemBody(truncated=converted.teaser)
    blocks = _split_item_footers(converted.blocks, body, warnings)
    blocks = _without_trailers(blocks, body.edits)
    blocks = _without_title_repeats(blocks, title, warnings)
    if blocks and blocks[0].kind == PARAGRAPH:
        lines = blocks[0].text.split("\n")
        byline, authors, _, outlet = _take_byline(lines, warnings)
        if byline or outlet:
            body.byline, body.byline_authors, body.outlet = byline, authors, outlet
            rest = "\n".join(line for line in lines if line.strip()).strip()
            blocks[0] = HtmlBlock(PARAGRAPH, rest, blocks[0].links) if rest else None
            blocks = [block for block in blocks if block is not None]
    if converted.teaser:
        warnings.append("The item's body is only a teaser (it ends with “[…]”): the piece is cut short.")
    body.blocks = blocks
    return body


def _read_html(html: str, *, raw_wordpress: bool):
    # Imported on first use: the HTML reader loads lxml and nh3, which a text-only import never needs.
    from articles.ingest.formats.html import read_html

    return read_html(html, raw_wordpress=raw_wordpress)


def _split_item_footers(blocks: list[HtmlBlock], body: _ItemBody, warnings: list[str]) -> list[HtmlBlock]:
    """Remove footer paragraphs (and a footer glued to the last paragraph); note the title and source they give."""
    footers = []
    kept = []
    for block in blocks:
        footer = match_footer(block.text, block.links) if block.kind == PARAGRAPH else None
        if footer is None:
            kept.append(block)
        else:
            footers.append(footer)
    if not footers and kept and kept[-1].kind == PARAGRAPH:
        text, footer_title, footer_source, cut = _split_footer(kept[-1].text, warnings)
        if footer_title is not None or footer_source is not None or cut:
            footers.append((footer_title, footer_source))
            body.truncated = body.truncated or cut
            text = text.strip()
            kept[-1:] = [HtmlBlock(PARAGRAPH, text, kept[-1].links)] if text else []
    if len(footers) > 1:
        warnings.append(f"The item holds {len(footers)} footers; their paragraphs were removed.")
    if footers:
        body.footer_title = next((title for title, _ in reversed(footers) if title), None)
        body.footer_source = next((source for _, source in reversed(footers) if source), None)
    return kept


def _without_trailers(blocks: list[HtmlBlock], edits: list[Edit]) -> list[HtmlBlock]:
    """Return the blocks without page chrome and trailers ("Read more", a theme's "Related Articles" and the titles
    under it), each drop logged in `edits` at its offset in the blocks' text."""
    kept, position, in_section = [], 0, False
    for block in blocks:
        offset, position = position, position + len(block.text) + 2
        if block.kind == LIST:
            items = [line.removeprefix("- ") for line in block.text.split("\n")]
            in_section = in_section and all(in_theme_section(item) for item in items)
            if in_section:
                edits.append(Edit(PAGE_CHROME, block.text, "", offset))
            else:
                kept.append(block)
            continue
        text = block.text.removeprefix(HEADING_PREFIX) if block.kind == HEADING else block.text
        if "…" in text:
            text = _CONTINUED_RE.sub("", text).rstrip()
        if not text.strip():
            continue
        in_section = opens_theme_section(text) or (in_section and in_theme_section(text))
        if in_section or _CHROME_LINE_RE.match(text) or is_chrome_line(text):
            edits.append(Edit(PAGE_CHROME, block.text, "", offset))
            continue
        kept.append(HtmlBlock(block.kind, HEADING_PREFIX + text if block.kind == HEADING else text, block.links))
    return kept


def _without_title_repeats(blocks: list[HtmlBlock], title: str | None, warnings: list[str]) -> list[HtmlBlock]:
    """Drop headings and short paragraphs repeating the title, and a repeated caption line at the top."""
    if title:
        key, longest = _title_key(title), len(title) + 10
        blocks = [
            block
            for block in blocks
            if block.kind == LIST
            or len(block.text) > longest + len(HEADING_PREFIX)
            or _title_key(block.text.removeprefix(HEADING_PREFIX)) != key
        ]
    for index in range(min(3, len(blocks) - 1)):
        first, second = blocks[index], blocks[index + 1]
        if first.kind == second.kind == PARAGRAPH and first.text == second.text and _title_like(first.text):
            warnings.append(f"Dropped the line repeated at the top of the body, an image caption: “{first.text}”.")
            del blocks[index : index + 2]
            break
    return blocks


def _text_body(text: str, title: str | None, warnings: list[str]) -> _ItemBody:
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text, footer_title, footer_source, truncated = _split_footer(text, warnings)
    stripped = _TEASER_TEXT_RE.sub("", text)
    if stripped != text:
        truncated = True
        text = stripped
        warnings.append("The item's body is only a teaser (it ends with “[…]”): the piece is cut short.")
    edits: list[Edit] = []
    lines = _body_lines(text, edits)
    if title and lines and same_title(lines[0], title):
        del lines[0]
    byline, authors, _, outlet = _take_byline(lines, warnings)
    body_lines, _, _ = _render(_blocks(lines, title))
    blocks = []
    for line in body_lines:
        if line.startswith(HEADING_PREFIX):
            blocks.append(HtmlBlock(HEADING, line))
        elif line.startswith("- "):
            blocks.append(HtmlBlock(LIST, line))
        else:
            blocks.append(HtmlBlock(PARAGRAPH, line))
    return _ItemBody(blocks, footer_title, footer_source, byline, authors, outlet, truncated, edits)


def _item_summary(fields: ItemFields, body: _ItemBody, warnings: list[str]) -> tuple[str, str | None]:
    """Return the item's own summary ("" when it only repeats the body's start) and the source its footer names."""
    if not (fields.summary or "").strip():
        return "", None
    if fields.summary_html:
        converted = _read_html(fields.summary, raw_wordpress=fields.raw_wordpress)
        blocks, teaser = converted.blocks, converted.teaser
    else:
        stripped = _TEASER_TEXT_RE.sub("", fields.summary)
        teaser = stripped != fields.summary
        blocks = [HtmlBlock(PARAGRAPH, " ".join(p.split())) for p in stripped.split("\n\n") if p.strip()]
    probe = _ItemBody()
    blocks = _without_trailers(_split_item_footers(blocks, probe, []), [])
    summary = " ".join(" ".join(block.text.removeprefix(HEADING_PREFIX).split()) for block in blocks)
    start = " ".join(" ".join(block.text.split()) for block in body.blocks if block.kind == PARAGRAPH)
    if teaser or not summary or start.startswith(summary[:60]):
        summary = ""
    return summary, probe.footer_source


def _item_source(fields: ItemFields, body: _ItemBody, summary_source: str | None, warnings: list[str]) -> str | None:
    if body.footer_source:
        if fields.source and fields.source.casefold() != body.footer_source.casefold():
            warnings.append(f"The item names its source “{fields.source}”; its footer says “{body.footer_source}”.")
        return body.footer_source
    if summary_source:
        warnings.append(f"Source “{summary_source}” taken from the footer of the item's description.")
        return summary_source
    if fields.source:
        return fields.source
    if body.outlet:
        warnings.append(f"Source “{body.outlet}” taken from the line at the top of the body, not from a footer.")
        return body.outlet
    if fields.source_hint:
        warnings.append(f"The item does not name its source; took the feed's title “{fields.source_hint}”.")
        return fields.source_hint
    warnings.append(NO_ITEM_SOURCE_WARNING)
    return None


def _item_authors(names: list[str]) -> list[AuthorName]:
    """Return the item's authors: a name written as a byline ("By A and B") is read as one, others kept as given."""
    authors: list[AuthorName] = []
    for name in names:
        name = " ".join(name.split())
        if not name:
            continue
        if _BYLINE_LIKE_RE.search(name) and len(name) <= MAX_BYLINE_CHARS:
            found = parse_byline(name) or [AuthorName(name, PERSON)]
        else:
            classified = parse_byline(name) if len(name) <= MAX_BYLINE_CHARS else []
            kind = classified[0].kind if len(classified) == 1 and classified[0].name == name else PERSON
            found = [AuthorName(name, kind)]
        for author in found:
            if author.name.casefold() not in {known.name.casefold() for known in authors}:
                authors.append(author)
    return authors
