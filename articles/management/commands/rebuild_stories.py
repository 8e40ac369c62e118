from django.core.management.base import BaseCommand, CommandError

from articles.stories.rebuild import CHUNK, rebuild_stories


class Command(BaseCommand):
    help = (
        "Recompute the signatures and stories of the whole archive (after a change of thresholds), streaming it "
        "in publication order; editors' decisions (moves, splits, merges, chosen leads, the queue's answers) are "
        "kept. Running it twice gives the same stories."
    )

    def add_arguments(self, parser):
        parser.add_argument("--chunk-size", type=int, default=CHUNK, help=f"Articles read at once (default {CHUNK}).")

    def handle(self, *args, chunk_size, verbosity, **options):
        if chunk_size < 1:
            raise CommandError("--chunk-size must be at least 1.")

        def progress(done: int, total: int) -> None:
            if verbosity:
                share = f" ({done / total:.0%})" if total else ""
                self.stdout.write(f"{done:,} of {total:,} articles{share}")

        report = rebuild_stories(chunk_size=chunk_size, progress=progress)
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Rebuilt: {report.articles:,} articles in {report.stories:,} stories "
                    f"({report.pinned:,} kept where editors put them); {report.queued:,} possible matches queued."
                )
            )
