"""Read the structure of a syndicated piece: title, byline, body, subheadings and the footer naming the outlet.

Structure only: the words are left as they arrived (cleaning is `clean.py`'s job). What is certain is taken, what
is guessed is reported in `warnings`, and no body text is dropped; page chrome and footers never reach the body.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from articles.ingest.bylines import AuthorName, looks_like_byline, parse_byline, starts_like_byline, strip_by
from articles.ingest.clean import Edit

# A derived title keeps this many words of the first sentence.
DERIVED_TITLE_WORDS = 12
# Lines longer than this are prose, never a title, subheading or category line.
MAX_TITLE_WORDS = 30
MAX_SUBHEADING_WORDS = 12
MAX_SUBHEADING_CHARS = 120

_DATE_PREFIX_RE = re.compile(r"\A\s*date\s+(\d{4})-(\d{2})-(\d{2})\s+", re.IGNORECASE)
# Footer wordings of syndication templates; the title may be empty and the footer may be glued to the last word.
_FOOTER_RE = re.compile(
    r"The[ \t]+post\s+(?P<title>[^\n]*?)\s*(?:appeared[ \t]+first[ \t]+on|first[ \t]+appeared[ \t]+on)\s+"
    r"(?P<source>[^\n]+?)(?:\.(?=\s|$)|\s*$)"
    r"|This[ \t]+(?:post|article)[ \t]+was[ \t]+syndicated[ \t]+from\s+"
    r"(?P<syndicated>[^\n]+?)(?:\.(?=\s|$)|\s*$)[^\n]*",
    re.MULTILINE,
)
# "The post Bitcoin Cash Price " at the very end: the footer itself was cut off, so the piece was.
_CUT_FOOTER_RE = re.compile(r"The post\b[^\n]*\s*\Z")
_CHROME_TOKEN_RE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
_CHROME_LINE_RE = re.compile(r"^(?:ID:\s*\d+|home\b.*\bFull Article)$", re.IGNORECASE)
_TRAILER_LINE_RE = re.compile(
    r"^(?:read more|read full story|read the full story|source link|continue reading\b.*|click here\b.*|"
    r"stay updated\b.*|don'?t miss out\b.*|advertisement|share this:?)$",
    re.IGNORECASE,
)
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
    lines = _body_lines(text)

    source_from_banner = _take_banner(lines, warnings) if source_name is None else _drop_banner(lines)
    if source_name is None and source_from_banner:
        source_name = source_from_banner

    title, title_derived = _take_title(lines, footer_title, warnings)

    byline, authors, published, outlet = _take_byline(lines, warnings)
    published_at = published_at or published
    if source_name is None and outlet:
        source_name = outlet
        warnings.append(f"Source “{outlet}” taken from the line under the title, not from a footer.")

    blocks = _blocks(lines, title)
    if title is None:
        title = _derive_title(blocks)
        title_derived = True
        warnings.append(f"The piece has no title; derived “{title}” from its first sentence.")

    body_lines, subheadings, summary = _render(blocks)
    if not truncated and footer_title is None and source_name is None and body_lines:
        last = body_lines[-1]
        if not last.startswith("## ") and not _ends_closed(last):
            truncated = True
            warnings.append("The piece ends mid-sentence and has no footer: it looks cut off.")
    if source_name is None:
        warnings.append("The piece does not name its source.")
    return ParsedPiece(
        title=title,
        title_derived=title_derived,
        byline=byline,
        authors=authors,
        source_name=source_name,
        published_at=published_at,
        summary=summary,
        body="\n\n".join(body_lines),
        subheadings=subheadings,
        warnings=warnings,
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


def _split_footer(text: str, warnings: list[str]) -> tuple[str, str | None, str | None, bool]:
    footers = [
        _Footer(
            m.start(),
            m.end(),
            " ".join(m["title"].split()) if m["title"] is not None else None,
            " ".join((m["source"] or m["syndicated"] or "").split()) or None,
        )
        for m in _FOOTER_RE.finditer(text)
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


def _body_lines(text: str) -> list[str]:
    lines = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line or _CHROME_LINE_RE.match(line) or _TRAILER_LINE_RE.match(line):
            continue
        if "_" in line and _CHROME_TOKEN_RE.search(line) and len(line.split()) <= 10:
            continue
        if "…" in line:
            line = _CONTINUED_RE.sub("", line)
        # A line that starts in lower case continues a hard-wrapped paragraph.
        if lines and line[0].islower() and not _ends_closed(lines[-1]) and not _BULLET_RE.match(line):
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
    return lines


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


def _take_title(lines: list[str], footer_title: str | None, warnings: list[str]) -> tuple[str | None, bool]:
    """Remove the header title lines (and any category lines above a repeated title); return the title."""
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
            return footer_title, False
        return header, False

    if lines and _title_like(lines[0]) and not looks_like_byline(lines[0]):
        header = lines[0]
        followed_by_list = len(lines) > 1 and _BULLET_RE.match(lines[1])
        if footer_title:
            if same_title(header, footer_title):
                del lines[0]
                return header, False
            # A category line above the title: drop it only when the title itself follows.
            if len(lines) > 1 and same_title(lines[1], footer_title) and _is_short_line(header, 4):
                warnings.append(f"Dropped the line above the title: “{header}”.")
                del lines[:2]
                return footer_title, False
            if len(header.split()) <= MAX_SUBHEADING_WORDS:
                warnings.append(f"The footer's title “{footer_title}” differs from the first line “{header}”.")
            return footer_title, False
        if not followed_by_list:
            del lines[0]
            return header, False
    if footer_title:
        return footer_title, False
    # A publisher page may print the title after the body.
    if len(lines) >= 2 and _title_like(lines[-1]) and _ends_closed(lines[-2]) and len(lines[-1].split()) >= 3:
        warnings.append("Title taken from the last line of the piece.")
        return lines.pop(), False
    return None, False


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
        byline = _byline_text(lines.pop(0))
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


def _byline_text(line: str) -> str:
    return strip_by(line)


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
