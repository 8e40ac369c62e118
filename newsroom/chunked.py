"""Request bodies sent with `Transfer-Encoding: chunked`, which Django would otherwise read as empty.

Django reads exactly `CONTENT_LENGTH` bytes of a body, and a chunked request has no length: its body is dropped and
the view sees an empty request ("This field is required"). Servers that decode the chunks themselves (gunicorn) say
so with `wsgi.input_terminated`, which makes reading to the end of the input safe. `ChunkedBodies` reads such a body
before Django does, up to the limit a body of its kind may have, and hands it on with its length; a body past the
limit is refused with a 400 that names the limit (JSON under `/api/`), as Django refuses an oversize body it knows
the length of.
"""

import json
import tempfile

from django.conf import settings

READ_SIZE = 64 * 1024


def body_limit(content_type: str) -> int | None:
    """Return the most bytes a chunked body of `content_type` may have (None: no limit).

    Ordinary bodies (JSON, forms, text) may have `DATA_UPLOAD_MAX_MEMORY_SIZE`; a multipart upload may add to that
    as many files as `DATA_UPLOAD_MAX_NUMBER_FILES` allows, each as large as the importer accepts.
    """
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None:
        return None
    if content_type.lower().startswith("multipart/"):
        files = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        if files is None:
            return None
        limit += files * settings.NEWSROOM_IMPORT_MAX_BYTES
    return limit


def is_chunked_without_length(environ) -> bool:
    return (
        not environ.get("CONTENT_LENGTH")
        and bool(environ.get("wsgi.input_terminated"))
        and "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
    )


class ChunkedBodies:
    """WSGI middleware: give Django the length of a chunked body the server has decoded, or refuse it as too large."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if is_chunked_without_length(environ):
            limit = body_limit(environ.get("CONTENT_TYPE", ""))
            body, size = self.read_body(environ["wsgi.input"], limit)
            if body is None:
                return self.refuse(environ, start_response, limit)
            environ["wsgi.input"] = body
            environ["CONTENT_LENGTH"] = str(size)
        return self.application(environ, start_response)

    @staticmethod
    def read_body(stream, limit: int | None):
        """Return the body as a file at its start and its size, or (None, size) once it passes `limit`.

        Up to FILE_UPLOAD_MAX_MEMORY_SIZE stays in memory; a larger (multipart) body goes to a temporary file.
        """
        spooled = tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE or 0)  # noqa: SIM115
        size = 0
        while chunk := stream.read(READ_SIZE):
            size += len(chunk)
            if limit is not None and size > limit:
                spooled.close()
                return None, size
            spooled.write(chunk)
        spooled.seek(0)
        return spooled, size

    @staticmethod
    def refuse(environ, start_response, limit: int):
        message = f"The request body is larger than the limit of {limit} bytes."
        if environ.get("PATH_INFO", "").startswith("/api/"):
            from articles.api.exceptions import PROBLEM_JSON, problem

            path = environ["PATH_INFO"]
            body = json.dumps(problem(400, message, instance=path, code="payload_too_large")).encode()
            content_type = PROBLEM_JSON
        else:
            body, content_type = message.encode(), "text/plain; charset=utf-8"
        headers = [("Content-Type", content_type), ("Content-Length", str(len(body))), ("Connection", "close")]
        start_response("400 Bad Request", headers)
        return [body]
