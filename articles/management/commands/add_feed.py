from django.core.management.base import BaseCommand, CommandError

from articles.feeds.durations import describe, parse_poll_interval
from articles.feeds.subscribe import SubscribeError, subscribe


class Command(BaseCommand):
    help = (
        "Subscribe to a feed (RSS, Atom or JSON Feed), after checking that its address answers with one; the "
        "scheduler polls it from then on."
    )

    def add_arguments(self, parser):
        parser.add_argument("url", help="The feed's address (http:// or https://).")
        parser.add_argument(
            "--source",
            default=None,
            help="The outlet of its items (created if new); by default each item's footer or the feed's title.",
        )
        parser.add_argument("--interval", default="15m", help="How often to poll it: 90s, 15m, 2h, 1d (default 15m).")

    def handle(self, *args, url, source, interval, verbosity, **options):
        try:
            every = parse_poll_interval(interval)
        except ValueError as error:
            raise CommandError(f"--interval: {error}") from None
        try:
            feed, fmt = subscribe(url, source=source, interval=every)
        except SubscribeError as error:
            raise CommandError(str(error)) from None
        if verbosity:
            outlet = f", source {feed.source.name}" if feed.source_id else ""
            moved = f" (moved permanently from {url})" if feed.url != url else ""
            self.stdout.write(
                f"Feed {feed.pk} added: {feed.url}{moved}, {fmt}{outlet}, polled every {describe(every)}. "
                "The scheduler polls it now; `manage.py poll_feeds --once` polls it in this shell."
            )
