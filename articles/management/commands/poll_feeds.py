from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from articles.feeds.polling import poll_now
from articles.models import Feed

OUTCOMES = ("created", "updated", "unchanged", "duplicate", "conflict", "failed")


class Command(BaseCommand):
    help = (
        "Poll every enabled feed now, in this process, and return once their items are stored (cron, tests); "
        "print per feed its new, updated, unchanged and failed items and the HTTP outcome."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Poll once and exit (the only mode: the scheduler polls on time)."
        )
        parser.add_argument(
            "--feed", action="append", default=[], metavar="ID/URL", help="Poll only this feed (repeatable)."
        )

    def handle(self, *args, once, feed, verbosity, **options):
        if not once:
            raise CommandError("Give --once: feeds are polled on their schedule by `run_scheduler` and the workers.")
        feeds = self._chosen(feed)
        failed = 0
        for subscribed in feeds:
            result = poll_now(subscribed)
            failed += bool(result.error)
            if verbosity:
                self.stdout.write(self._line(subscribed, result))
        if verbosity:
            self.stdout.write(f"{len(feeds)} feed(s) polled, {failed} failed.")
        if failed:
            raise CommandError(f"{failed} feed(s) failed; the lines above and each feed's last error say why.")

    def _chosen(self, wanted: list[str]) -> list[Feed]:
        if not wanted:
            return list(Feed.objects.filter(enabled=True).select_related("source").order_by("pk"))
        chosen = []
        for key in wanted:
            match = Q(url=key) | (Q(pk=int(key)) if key.isdigit() else Q())
            found = Feed.objects.filter(match).select_related("source").first()
            if found is None:
                raise CommandError(f"No feed {key!r}: give a feed's id or its address.")
            chosen.append(found)
        return chosen

    @staticmethod
    def _line(feed: Feed, result) -> str:
        if result.skipped:
            return f"feed {feed.pk} {feed.url}: skipped: {result.skipped}"
        counts = result.counts
        items = (
            f"new {counts.get('created', 0)}, updated {counts.get('updated', 0)}, "
            f"unchanged {counts.get('unchanged', 0)}, failed {counts.get('failed', 0)}"
        )
        others = ", ".join(f"{name} {counts[name]}" for name in ("duplicate", "conflict") if counts.get(name))
        line = f"feed {feed.pk} {result.url}: {items}{', ' + others if others else ''}; HTTP {result.outcome}"
        return line + (f"; error: {result.error}" if result.error and result.error not in result.outcome else "")
