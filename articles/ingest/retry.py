"""Import pieces again from their import records: a retry of failed pieces, or any import re-derived with today's
cleaner. The record's raw bytes are read again exactly as the first time (its `raw_format` and `raw_context`), and
go through the one pipeline (`import_pieces`) as a new import: each new record in a new batch, linked to the record
it came from (`retry_of`), so that the old one shows it was retried and what became of it.

The identity rules decide as for any import: a piece whose article is stored already is `unchanged` when today's
cleaner reads it the same, `updated` when it reads it otherwise, and a `conflict` when an editor changed the
article since.
"""

import re
from collections.abc import Iterable, Iterator

from articles.ingest.importer import ImportOptions, ImportReport, import_pieces
from articles.ingest.reading import RawPiece
from articles.models import ImportBatch, ImportRecord

_ITEM_NUMBER_RE = re.compile(r"#item-(\d+)$")
# Records read per query while the retry streams: their raw bytes may be megabytes each.
RECORDS_AT_ONCE = 200


def reimport_records(record_ids: Iterable[int], options: ImportOptions) -> ImportReport:
    """Import the pieces of the records `record_ids` again from their raw bytes, in id order, as one new import
    run with `options` (its user, status and channel); return its report, which keeps every result.

    A record keeps the outlet its import was told to use (the `source` option of its batch), and the retry uses it
    again, whatever `options.source` says."""
    ids = sorted(set(record_ids))
    extra = {"retry_of": ids[:1000], "retried": len(ids)}
    return import_pieces(_pieces(ids), options, keep_results=True, batch_extra=extra)


def _pieces(ids: list[int]) -> Iterator[RawPiece]:
    for start in range(0, len(ids), RECORDS_AT_ONCE):
        page = (
            ImportRecord.objects.filter(pk__in=ids[start : start + RECORDS_AT_ONCE])
            .order_by("pk")
            .values_list("pk", "origin", "raw", "raw_format", "raw_context", "batch__options")
        )
        for pk, origin, raw, raw_format, raw_context, batch_options in page:
            yield record_piece(pk, origin, bytes(raw), raw_format, raw_context, (batch_options or {}).get("source"))


def record_piece(
    pk: int, origin: str, data: bytes, raw_format: str, raw_context: dict | None, outlet: str | None
) -> RawPiece:
    """Return a record's piece as it was first staged: its bytes, format, context and place in its document."""
    found = _ITEM_NUMBER_RE.search(origin)
    return RawPiece(
        origin=origin,
        data=data,
        size=len(data),
        format=raw_format or "text",
        context=raw_context or {},
        index=int(found.group(1)) - 1 if found else 0,
        retry_of=pk,
        outlet=outlet or "",
    )


def retry_options(user, *, channel: str = ImportBatch.Channel.ADMIN) -> ImportOptions:
    """Return the options of a retry by `user`: new articles are drafts, cleaned by today's cleaner."""
    return ImportOptions(user=user, channel=channel)
