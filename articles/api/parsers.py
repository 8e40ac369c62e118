"""Request body parsers that refuse oversize bodies before reading them.

Django enforces `DATA_UPLOAD_MAX_MEMORY_SIZE` only when something reads `request.body` or `request.POST`; DRF's parsers
read the stream directly, so without this check a JSON body of any size would be buffered.
"""

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser, JSONParser, MultiPartParser

from articles.api.exceptions import PayloadTooLarge


def refuse_oversize(parser_context) -> None:
    request = (parser_context or {}).get("request")
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if request is None or limit is None:
        return
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:
        raise PayloadTooLarge(f"The request body is {length} bytes, larger than the limit of {limit} bytes.")


class LimitedJSONParser(JSONParser):
    """JSON bodies up to the size limit; a body nested too deeply for the decoder is a parse error like any other."""

    def parse(self, stream, media_type=None, parser_context=None):
        refuse_oversize(parser_context)
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the body is nested too deeply.") from None


class PlainTextParser(BaseParser):
    """Return a `text/plain` body as the bytes that arrived; decoding is the import pipeline's job."""

    media_type = "text/plain"

    def parse(self, stream, media_type=None, parser_context=None):
        refuse_oversize(parser_context)
        return stream.read() if stream is not None else b""


class LimitedMultiPartParser(MultiPartParser):
    """Multipart bodies, refused over the limit before they are read: their files would otherwise be streamed to
    disk whatever their size, since Django's limit counts only the form's other fields."""

    def parse(self, stream, media_type=None, parser_context=None):
        refuse_oversize(parser_context)
        return super().parse(stream, media_type, parser_context)
