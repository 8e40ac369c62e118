"""Parse and clean one piece or one feed item: the single call the loader makes for every piece it imports."""

import re

from articles.ingest.clean import clean_text
from articles.ingest.formats.fields import ItemFields
from articles.ingest.frequencies import DEFAULT_LANGUAGE, has_word_list
from articles.ingest.hyphens import build_vocabulary
from articles.ingest.language import detect_language, primary_language
from articles.ingest.parse import HEADING_PREFIX, ParsedPiece, parse_item, parse_piece

_PRIMARY_TAG_RE = re.compile(r"^[a-z]{2,3}$")
# The title and the opening paragraphs are what the detector reads (`language.SAMPLE_CHARS`).
_DETECTION_SAMPLE = 1000


def prepare_piece(text: str, *, clean: bool = True) -> ParsedPiece:
    """Return the piece's structure with title, summary, body and subheadings cleaned, and every edit and warning.

    With `clean=False` the text is kept as it arrived.
    """
    piece = detect_piece_language(parse_piece(text))
    return clean_piece(piece) if clean else piece


def prepare_item(fields: ItemFields, *, clean: bool = True) -> ParsedPiece:
    """Return a feed or export item's structure, cleaned exactly as a text piece is (see `clean_piece`)."""
    piece = detect_piece_language(parse_item(fields))
    return clean_piece(piece) if clean else piece


def detect_piece_language(piece: ParsedPiece) -> ParsedPiece:
    """Set `piece.detected_language` from its title and opening text when it declares no language, and return it.

    A language the piece declares (a feed's `<language>`, an item's `xml:lang`, JSON Feed's `language`) wins: it
    is not second-guessed, and the detector is not run.
    """
    if not declared_language(piece):
        piece.detected_language = detect_language(f"{piece.title}\n{piece.body[:_DETECTION_SAMPLE]}")
    return piece


def declared_language(piece: ParsedPiece) -> str:
    """Return the primary subtag of the language `piece` declares ("pt-BR" -> "pt"), or "" for none or no tag."""
    primary = primary_language(piece.language)
    return primary if _PRIMARY_TAG_RE.match(primary) else ""


def cleaning_language(piece: ParsedPiece) -> str:
    """Return the language whose word lists clean `piece`: the declared one, else the detected one, else English
    (the articles' default)."""
    return declared_language(piece) or primary_language(piece.detected_language) or DEFAULT_LANGUAGE


def clean_piece(piece: ParsedPiece) -> ParsedPiece:
    """Clean `piece`'s title and body in place and return it, with every edit and warning added.

    One vocabulary is built from the whole piece so that a word seen whole anywhere in it (the title included)
    is evidence for repairing its broken form elsewhere. The summary and subheadings are copies of body
    paragraphs, so they are taken from the cleaned body rather than cleaned (and logged) a second time; a
    summary of its own (a feed item's description) is cleaned, and logged, on its own.
    """
    language = cleaning_language(piece)
    if not has_word_list(language):
        if "-" in piece.title or "-" in piece.body:
            piece.warnings.append(
                f"No word lists for the language “{language}”: words broken by stray hyphens were not repaired."
            )
        language = None
    vocabulary = build_vocabulary(piece.title, piece.body)
    paragraphs = piece.body.split("\n\n")
    summary_index = paragraphs.index(piece.summary) if piece.summary in paragraphs else None

    for field in ("title", "body"):
        result = clean_text(getattr(piece, field), vocabulary=vocabulary, field=field, language=language)
        setattr(piece, field, result.text)
        piece.edits.extend(result.edits)
        piece.warnings.extend(warning for warning in result.warnings if warning not in piece.warnings)

    cleaned = piece.body.split("\n\n")
    if len(cleaned) == len(paragraphs):
        if summary_index is not None:
            piece.summary = cleaned[summary_index]
        elif piece.summary and piece.format != "text":
            result = clean_text(piece.summary, vocabulary=vocabulary, field="summary", language=language)
            piece.summary = result.text
            piece.edits.extend(result.edits)
        piece.subheadings = [p.removeprefix(HEADING_PREFIX) for p in cleaned if p.startswith(HEADING_PREFIX)]
    else:
        # A repair changed the paragraph layout (an entity that was a line break): clean the copies on their own.
        piece.summary = clean_text(piece.summary, vocabulary=vocabulary, field="summary", language=language).text
        piece.subheadings = [
            clean_text(h, vocabulary=vocabulary, field="subheading", language=language).text for h in piece.subheadings
        ]
    return piece
