"""Subscribing to a feed: the address is checked to answer with a feed before it is saved, whichever door it came
through (the `add_feed` command, the admin, the API), so a site's page or a typo is refused with the reason."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from articles.feeds.fetch import fetch
from articles.feeds.polling import NotAFeed, check_feed_body
from articles.ingest.plan import free_slugs
from articles.models import Feed, Source
from articles.text import collapse_spaces, slug_for


class SubscribeError(ValueError):
    """The feed cannot be subscribed to: the reason, for the editor."""


def check_url(url: str) -> tuple[str, str]:
    """Fetch `url` and check it answers with a feed; return (the address to store, the feed's format).

    A permanent redirect gives the address to store; anything but a feed is a SubscribeError saying what came.
    """
    fetched = fetch(url)
    if not fetched.ok or fetched.body is None:
        raise SubscribeError(f"{url} did not answer with a feed: {fetched.error or fetched.outcome}")
    try:
        fmt = check_feed_body(fetched.body)
    except NotAFeed as error:
        raise SubscribeError(f"{url}: {error}") from None
    return fetched.permanent_url or url, fmt


def source_named(name: str | None) -> Source | None:
    """Return the source called `name` (whatever its case), created if new; None for no name."""
    name = collapse_spaces(name or "")
    if not name:
        return None
    found = Source.objects.named(name).first()
    if found:
        return found
    slug = free_slugs(Source, {name.casefold(): slug_for(name)})[name.casefold()]
    return Source.objects.create(name=name, slug=slug)


def subscribe(url: str, *, source: str | None = None, interval: timedelta | None = None) -> tuple[Feed, str]:
    """Check `url` answers with a feed and save the subscription, due at once; return (the feed, its format)."""
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")):
        raise SubscribeError(f"{url!r} is not a feed address: give an http:// or https:// URL.")
    if Feed.objects.filter(url=url).exists():
        raise SubscribeError(f"{url} is subscribed to already.")
    stored, fmt = check_url(url)
    if stored != url and Feed.objects.filter(url=stored).exists():
        raise SubscribeError(f"{url} moved permanently to {stored}, which is subscribed to already.")
    with transaction.atomic():
        feed = Feed.objects.create(
            url=stored,
            source=source_named(source),
            poll_interval=interval or Feed._meta.get_field("poll_interval").default,
            next_check_at=timezone.now(),
        )
    return feed, fmt
