"""Conditional GET for articles: validators computed from rows the request fetches anyway.

A list's ETag digests the page's ids, revisions and change times, the total count and the query string; a detail's
digests the article's id, revision and change time, and its latest quote's id. Both are computed before the related
rows are loaded and before anything is serialised, so a `304 Not Modified` costs only the queries that identify the
rows. Who asks matters (an editor's list holds drafts), so the ETag also depends on the reader's visibility and
responses vary on `Authorization` and `Cookie`.

The same validators key a short-lived server-side copy of the rendered JSON (BODY_SECONDS): a request whose rows are
unchanged since another client fetched them is answered without loading relations or serialising again.

The tags are weak: a renamed author or source shows in a cached copy only once the article itself changes (or, for
the server's copy, after at most BODY_SECONDS).
"""

import hashlib

from django.core.cache import cache
from django.db.models import Max, OuterRef, Subquery
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from rest_framework.renderers import JSONRenderer

from articles.models import Quote

BODY_SECONDS = 60
_UNREAD = object()


def weak_etag(*parts) -> str:
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
    return f'W/"{digest}"'


def list_validators(request, rows, count, *, audience: str) -> tuple[str, float | None]:
    """Return the ETag and Last-Modified (a timestamp) of a page of articles."""
    stamps = [(row.pk, row.revision, row.updated_at.timestamp()) for row in rows]
    last_modified = max((stamp[2] for stamp in stamps), default=None)
    return weak_etag(audience, request.build_absolute_uri(), count, stamps), last_modified


# The id of an article's latest quote, as an annotation of the query that reads the article.
LATEST_QUOTE = Subquery(Quote.objects.filter(article_id=OuterRef("pk")).order_by("-id").values("id")[:1])


def detail_validators(request, article, *, audience: str) -> tuple[str, float]:
    """Return the ETag and Last-Modified of one article; the ETag also digests its latest quote's id (read with the
    article as `latest_quote_id`, else one indexed query), since its quotes are read by a worker after the import and
    rewritten whole, with new ids, each time."""
    stamp = article.updated_at.timestamp()
    quotes = getattr(article, "latest_quote_id", _UNREAD)
    if quotes is _UNREAD:
        quotes = Quote.objects.filter(article_id=article.pk).aggregate(latest=Max("id"))["latest"]
    return weak_etag(audience, request.build_absolute_uri(), article.pk, article.revision, stamp, quotes), stamp


def not_modified(request, etag: str, last_modified: float | None, *, honour_modified_since: bool):
    """Return a 304 response when the client's copy is current, else None.

    A list's Last-Modified is the newest change among the rows it shows; a row removed from the page does not move
    it, so for lists only the ETag decides.
    """
    response = get_conditional_response(
        request, etag=etag, last_modified=int(last_modified) if honour_modified_since and last_modified else None
    )
    if response is not None:
        set_validators(response, etag, last_modified)
    return response


def set_validators(response, etag: str, last_modified: float | None) -> None:
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    patch_vary_headers(response, ["Authorization", "Cookie"])


def _renders_json(request) -> bool:
    renderer = getattr(request, "accepted_renderer", None)
    return renderer is not None and renderer.format == "json"


def cached_json(request, etag: str):
    """Return a JSON response with the body rendered earlier for `etag`, or None (also for non-JSON renderers)."""
    if not _renders_json(request):
        return None
    body = cache.get(f"api:body:{etag}")
    if body is None:
        return None
    return HttpResponse(body, content_type="application/json")


def remember_json(request, etag: str, data) -> HttpResponse | None:
    """Render `data` as JSON once, keep it for BODY_SECONDS under `etag`, and return it as a response."""
    if not _renders_json(request):
        return None
    body = JSONRenderer().render(data)
    cache.set(f"api:body:{etag}", body, BODY_SECONDS)
    return HttpResponse(body, content_type="application/json")
