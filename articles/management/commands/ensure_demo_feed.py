from datetime import timedelta

from django.core.management.base import BaseCommand

from articles.models import Feed


class Command(BaseCommand):
    help = (
        "Subscribe the demo to its local feed (served by the development server at /demo/feed.xml), polled every "
        "minute; `make run` calls it. Saved without the check `add_feed` makes, since the server is not up yet."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", required=True, help="The demo feed's address on the development server.")

    def handle(self, *args, url, verbosity, **options):
        feed, created = Feed.objects.get_or_create(url=url, defaults={"poll_interval": timedelta(minutes=1)})
        if verbosity:
            state = "subscribed" if created else "already subscribed"
            self.stdout.write(f"Demo feed {state}: {feed.url} (polled every minute by the worker).")
