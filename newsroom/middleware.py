"""Requests refused before any view reads them."""

from django.http import HttpResponseBadRequest

NUL_MESSAGE = "The request holds a NUL character (in its address, query string or headers); no value here can."


def holds_nul(request) -> bool:
    """Return whether the path, the query string (raw or percent-encoded) or a header value holds a NUL."""
    query = request.META.get("QUERY_STRING", "")
    if "\x00" in request.path or "%00" in query or "\x00" in query:
        return True
    return any(key.startswith("HTTP_") and "\x00" in value for key, value in request.META.items())


class RefuseNulMiddleware:
    """Answer 400 to a request that carries a NUL character outside its body.

    No text newsroom stores or looks up can hold one: PostgreSQL refuses NUL in text values, so a NUL that reached a
    lookup (a slug in the address, a token, a session cookie) would be a database error, and on SQLite it would
    quietly match nothing. Under `/api/` the answer is a problem (`application/problem+json`), like every API
    error. Bodies are checked where they are read: the API's and the admin's text fields refuse NUL.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if holds_nul(request):
            if request.path.startswith("/api/"):
                from articles.api.exceptions import problem_response

                return problem_response(request, 400, NUL_MESSAGE, "invalid")
            return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
