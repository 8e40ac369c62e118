"""The demo feed that `make run` subscribes to, served by the development server (DEBUG only) at
`/demo/feed.xml`: the invented items of `samples/feeds/demo.xml`, a few at first and one more every minute, so a
newcomer watching the desk sees items arrive as the scheduler and the worker poll it."""

import hashlib
import time
from pathlib import Path

from django.http import HttpResponse, HttpResponseNotModified
from lxml import etree

DEMO_FEED = Path(__file__).resolve().parent.parent / "samples" / "feeds" / "demo.xml"
FIRST_ITEMS = 3
STARTED = time.monotonic()


def demo_feed(request):
    """The demo feed: its first items, one more for every minute this server has run (with an ETag: a poll that
    finds nothing new is answered 304)."""
    shown = FIRST_ITEMS + int((time.monotonic() - STARTED) // 60)
    tree = etree.parse(str(DEMO_FEED))
    items = tree.getroot().findall("channel/item")
    for extra in items[shown:]:
        extra.getparent().remove(extra)
    body = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
    etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
    if request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified(headers={"ETag": etag})
    return HttpResponse(body, content_type="application/rss+xml; charset=utf-8", headers={"ETag": etag})
