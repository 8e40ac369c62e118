"""Parse and clean one piece or one feed item: the single call the loader makes for every piece it imports."""

from articles.ingest.clean import clean_text
from articles.ingest.formats.fields import ItemFields
from articles.ingest.hyphens import build_vocabulary
from articles.ingest.parse import HEADING_PREFIX, ParsedPiece, parse_item, parse_piece


def prepare_piece(text: str, *, clean: bool = True) -> ParsedPiece:
    """Return the piece's structure with title, summary, body and subheadings cleaned, and every edit and warning.

    With `clean=False` the text is kept as it arrived.
    """
    piece = parse_piece(text)
    return clean_piece(piece) if clean else piece


def prepare_item(fields: ItemFields, *, clean: bool = True) -> ParsedPiece:
    """Return a feed or export item's structure, cleaned exactly as a text piece is (see `clean_piece`)."""
    piece = parse_item(fields)
    return clean_piece(piece) if clean else piece


def clean_piece(piece: ParsedPiece) -> ParsedPiece:
    """Clean `piece`'s title and body in place and return it, with every edit and warning added.

    One vocabulary is built from the whole piece so that a word seen whole anywhere in it (the title included)
    is evidence for repairing its broken form elsewhere. The summary and subheadings are copies of body
    paragraphs, so they are taken from the cleaned body rather than cleaned (and logged) a second time; a
    summary of its own (a feed item's description) is cleaned, and logged, on its own.
    """
    vocabulary = build_vocabulary(piece.title, piece.body)
    paragraphs = piece.body.split("\n\n")
    summary_index = paragraphs.index(piece.summary) if piece.summary in paragraphs else None

    for field in ("title", "body"):
        result = clean_text(getattr(piece, field), vocabulary=vocabulary, field=field)
        setattr(piece, field, result.text)
        piece.edits.extend(result.edits)
        piece.warnings.extend(warning for warning in result.warnings if warning not in piece.warnings)

    cleaned = piece.body.split("\n\n")
    if len(cleaned) == len(paragraphs):
        if summary_index is not None:
            piece.summary = cleaned[summary_index]
        elif piece.summary and piece.format != "text":
            result = clean_text(piece.summary, vocabulary=vocabulary, field="summary")
            piece.summary = result.text
            piece.edits.extend(result.edits)
        piece.subheadings = [p.removeprefix(HEADING_PREFIX) for p in cleaned if p.startswith(HEADING_PREFIX)]
    else:
        # A repair changed the paragraph layout (an entity that was a line break): clean the copies on their own.
        piece.summary = clean_text(piece.summary, vocabulary=vocabulary, field="summary").text
        piece.subheadings = [clean_text(h, vocabulary=vocabulary, field="subheading").text for h in piece.subheadings]
    return piece
