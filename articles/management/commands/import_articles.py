import json
import sys

from django.core.management.base import BaseCommand, CommandError

from articles.ingest import ImportInterrupted, ImportOptions, MissingPathError, import_paths
from articles.models import Article, ImportBatch


class Command(BaseCommand):
    help = (
        "Import syndicated pieces (plain text, shaped like the seed) as clean articles. PATH may be a file, a "
        "directory (searched recursively) or '-' for standard input. Exits non-zero when any piece failed, and "
        "with 130 when stopped by Ctrl-C (what was stored by then stays, and the summary says what it was)."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="Files, directories, or '-' for stdin.")
        parser.add_argument("--pattern", default="*.txt", help="File-name pattern inside directories (*.txt).")
        parser.add_argument("--source", help="Outlet name for pieces that name none; overrides the footer's.")
        parser.add_argument(
            "--status",
            default=Article.Status.DRAFT,
            choices=[Article.Status.DRAFT, Article.Status.REVIEW, Article.Status.PUBLISHED],
            help="Workflow status of new articles (default: draft).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Parse, clean and report; write nothing.")
        parser.add_argument("--report", metavar="FILE", help="Write one JSON line per piece to FILE.")
        parser.add_argument("--no-clean", action="store_true", help="Keep the text as it arrived (no repairs).")
        parser.add_argument("--batch-size", type=int, default=500, help="Pieces per transaction (default 500).")

    def handle(self, *args, paths, pattern, source, status, dry_run, report, no_clean, batch_size, **options):
        verbosity = options["verbosity"]
        try:
            import_options = ImportOptions(source=source, status=status, dry_run=dry_run, clean=not no_clean,
                                           batch_size=batch_size, channel=ImportBatch.Channel.COMMAND)  # fmt: skip
            report_file = open(report, "w", encoding="utf-8") if report else None  # noqa: SIM115
        except (ValueError, OSError) as error:
            raise CommandError(str(error)) from error
        progress = self._progress_bar(verbosity)

        def on_result(result):
            if report_file:
                report_file.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
            if progress is not None:
                progress.update()
            if verbosity >= 2 or (verbosity >= 1 and result.outcome == "failed"):
                line = f"{result.outcome:>9}  {result.origin}" + (f"  ({result.error})" if result.error else "")
                (progress.write if progress is not None else self.stdout.write)(line)

        interrupted = None
        try:
            outcome = import_paths(paths, import_options, pattern=pattern, on_result=on_result)
        except MissingPathError as error:
            raise CommandError(str(error)) from error
        except ImportInterrupted as stop:
            outcome = interrupted = stop.report
        finally:
            if progress is not None:
                progress.close()
            if report_file:
                report_file.close()
        if verbosity >= 1 or interrupted:
            self._summarise(outcome, dry_run=dry_run, pattern=pattern)
        if interrupted:
            batch = f"; import batch {outcome.batch_id} is marked interrupted" if outcome.batch_id else ""
            message = f"Interrupted: {outcome.total} pieces were stored before the stop{batch}."
            raise CommandError(message, returncode=130)
        if outcome.failed:
            raise CommandError(f"{outcome.failed} of {outcome.total} pieces failed; see the lines above or the report.")

    def _summarise(self, outcome, *, dry_run, pattern):
        counts = ", ".join(f"{n} {name}" for name, n in outcome.summary().items())
        if outcome.interrupted:
            prefix = "Interrupted, dry run, nothing written: " if dry_run else "Interrupted: "
        else:
            prefix = "Dry run, nothing written: " if dry_run else ""
        rate = outcome.total / outcome.seconds if outcome.seconds else 0
        style = self.style.ERROR if outcome.failed or outcome.interrupted else self.style.SUCCESS
        line = f"{prefix}{outcome.total} pieces in {outcome.seconds:.2f} s ({rate:,.0f}/s): {counts}."
        self.stdout.write(style(line))
        if outcome.total == 0 and not outcome.interrupted:
            self.stdout.write(self.style.WARNING(f"No pieces found matching {pattern!r}."))

    def _progress_bar(self, verbosity):
        """Return a tqdm bar on a terminal, else None; it writes to the raw stream, not Django's OutputWrapper."""
        stream = getattr(self.stderr, "_out", sys.stderr)
        if verbosity == 0 or not stream.isatty():
            return None
        from tqdm import tqdm

        return tqdm(unit="piece", file=stream, dynamic_ncols=True)
