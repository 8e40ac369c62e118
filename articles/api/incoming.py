"""The pieces an import request carries, whichever way it sends them.

`POST /api/v1/imports/` takes one piece as a `text/plain` body or as JSON `{"text": ..., "source": ...}`, and any
number of pieces as a multipart upload (each file a piece, and a `text` field as one more). The view decides from
them whether the import runs in the request or on the queue; this module only reads the request.
"""

from dataclasses import dataclass

from django.conf import settings
from rest_framework.exceptions import ValidationError

from articles.api.serializers import ImportRequestSerializer, ImportUploadFieldsSerializer
from articles.ingest.reading import RawPiece


@dataclass
class IncomingPieces:
    """The pieces of one request, in the order sent, and the outlet it names for those that name none.

    `single` is true for a request that can only carry one piece (a text body, a JSON piece): its answer is that
    piece's result, as it always was; an upload of files is answered with its batch.
    """

    pieces: list[RawPiece]
    source: str | None
    single: bool


def incoming_pieces(request) -> IncomingPieces:
    """Return the pieces of an import request, or raise a 400 naming what is missing or malformed."""
    if isinstance(request.data, bytes):
        data = request.data
        if not data.strip():
            raise ValidationError({"text": ["The body is empty; send the piece as text/plain."]})
        return IncomingPieces([_piece("api", data)], request.query_params.get("source") or None, single=True)
    uploads = [upload for _, files in request.FILES.lists() for upload in files]
    if not uploads:
        params = ImportRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data["text"].encode("utf-8")
        return IncomingPieces([_piece("api", data)], params.validated_data.get("source") or None, single=True)
    params = ImportUploadFieldsSerializer(
        data={key: request.data[key] for key in ("text", "source") if key in request.data}
    )
    params.is_valid(raise_exception=True)
    pieces = [_uploaded(upload) for upload in uploads]
    text = params.validated_data.get("text") or ""
    if text.strip():
        pieces.append(_piece("api", text.encode("utf-8")))
    return IncomingPieces(pieces, params.validated_data.get("source") or None, single=False)


def _uploaded(upload) -> RawPiece:
    """Read one uploaded file (a piece), stopping past the import's limit: a larger one is a failed piece."""
    origin, limit = f"api upload: {upload.name}", settings.NEWSROOM_IMPORT_MAX_BYTES
    data = upload.read(limit + 1)
    if len(data) > limit:
        reason = f"“{upload.name}” is over the import limit of {limit:,} bytes a file (NEWSROOM_IMPORT_MAX_BYTES)."
        return RawPiece(origin=origin, size=upload.size or len(data), error=reason)
    return _piece(origin, data)


def _piece(origin: str, data: bytes) -> RawPiece:
    return RawPiece(origin=origin, data=data, size=len(data))
