"""Cross-origin access (django-cors-headers): reads from anywhere, writes only from the listed origins.

`CORS_ALLOWED_ORIGINS` (`DJANGO_CORS_ALLOWED_ORIGINS`) lists the origins that may write. Any other origin may read
the API and the feeds (GET and HEAD, and a preflight that asks for one of them), without credentials: the answer
allows the origin but never cookies, so a page elsewhere reads what an anonymous reader reads. A preflight for a
write from an unlisted origin is answered without CORS headers, so the browser does not send the write.
"""

import re

from django.conf import settings

READS = {"GET", "HEAD"}


def allow_reads_from_any_origin(sender, request, **kwargs) -> bool:
    """django-cors-headers' `check_request_enabled` signal: allow an unlisted origin to read, never to write."""
    if not re.match(settings.CORS_URLS_REGEX, request.path_info):
        return False
    if request.method == "OPTIONS":
        return request.headers.get("Access-Control-Request-Method", "GET").upper() in READS
    return request.method in READS
