"""Import a document of many items (a feed, an export, JSON lines): each item a piece of the one pipeline.

The document is split as it is read (`formats.iter_raw_items`), and its items go through `import_pieces` in
batches like any pieces, each with its own bytes, its document's format and the context it needs to be read alone
(`RawPiece.format`, `RawPiece.context`): a staging worker reads and cleans the item (`staging.stage_piece`), and
its import record keeps the three, so that a retry reads the same bytes the same way. Memory stays bounded by the
batch size whatever the number of items.
"""

import io
from collections.abc import Callable
from dataclasses import replace

from articles.ingest import formats
from articles.ingest.importer import ImportOptions, ImportReport, import_pieces
from articles.ingest.load import PieceResult
from articles.ingest.reading import item_piece


def import_document(
    source: bytes | io.IOBase,
    *,
    origin: str,
    options: ImportOptions,
    fmt: str | None = None,
    source_name: str | None = None,
    batch_extra: dict | None = None,
    batch_fields: dict | None = None,
    on_result: Callable[[PieceResult], None] | None = None,
    keep_results: bool = False,
) -> tuple[ImportReport, formats.FeedMeta]:
    """Import every item of the document `source` (bytes, or a binary stream read as it goes) in one import batch;
    return the report and what the document says of itself (its title, link, language, the reader's warnings).

    `origin` names the document (a feed's URL, a file's path): each item's import record is `"<origin>#item-N"`
    (N from 1) and the batch's `origin` is the document's. `fmt` is the document's format when the caller knows
    it (else it is sniffed from the content). `source_name` is the outlet the items are imported under when the
    caller knows it (a feed's configured source): it overrides what an item names; otherwise an item's source is
    its footer's, else its own (`<source>`, a JSON line's `source`), else the channel's title. `batch_extra` is
    kept in the batch's options under "extra" (a feed's id, say), and `batch_fields` set on the batch's row (its
    feed). `on_result` sees each item's result as soon as
    it is known; results are kept in the report only with `keep_results`.

    Raise `formats.FormatError` for a document that holds no items to read (a web page, a plain-text piece, an
    unknown format), before any batch is started. A damaged document is not an error: what can be read is
    imported, each item that cannot be read is a failed piece with its reason, and the document's complaints are
    in the returned meta's `warnings`.
    """
    stream = formats.iter_raw_items(source, fmt)
    if source_name:
        options = replace(options, source=source_name)
    report = import_pieces(
        (item_piece(item, origin) for item in stream),
        options,
        on_result=on_result,
        keep_results=keep_results,
        batch_origin=origin,
        batch_extra={"format": stream.meta.format, **(batch_extra or {})},
        batch_fields=batch_fields,
    )
    return report, stream.meta
