"""Where an article's public page lives, and which outside address its page names as the origin.

The address is decided from the row alone, never from other rows, so that it is stable (publishing a namesake
later never moves an older page) and costs no query in a list or a feed: an article without a source is at
`/articles/<slug>/` (its slug is unique among the articles without a source), an article from a source at
`/articles/<source slug>/<slug>/` (the slug is unique per source). `/articles/<slug>/` also finds the one published
article from a source with that slug, and sends the reader on to its address.
"""

from urllib.parse import urlsplit

from django.urls import reverse


def public_path(slug: str, source_slug: str | None) -> str:
    """Return the path of the public page of the article `slug` from the source `source_slug` (None: no source)."""
    if source_slug:
        return reverse("article-page-in-source", args=[source_slug, slug])
    return reverse("article-page", args=[slug])


def origin_url(*candidates: str) -> str | None:
    """Return the first candidate that is an http(s) address (an article's `external_id`, then its `link`)."""
    for candidate in candidates:
        parts = urlsplit((candidate or "").strip())
        if parts.scheme in {"http", "https"} and parts.netloc:
            return candidate.strip()
    return None
