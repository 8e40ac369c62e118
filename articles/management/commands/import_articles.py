"""`manage.py import_articles PATH...`: the command line of the import pipeline (articles/ingest)."""

import sys

from django.core.management.base import BaseCommand, CommandError

from articles.ingest import ImportOptions
from articles.management.reporting import ImportReporter, ImportStopped
from articles.models import Article, ImportBatch


class Command(BaseCommand):
    help = (
        "Import syndicated pieces as clean articles: plain-text pieces shaped like the seed, and documents of "
        "many items (RSS, RDF, Atom, JSON Feed, JSON lines, WordPress exports), told by their content, not their "
        "name, each item a piece. PATH may be a file, a directory (searched recursively for --pattern) or '-' for "
        "standard input. Exits non-zero when any piece failed, and with 130 when stopped by Ctrl-C (what was "
        "stored by then stays, and the summary says what it was)."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="Files, directories, or '-' for stdin.")
        parser.add_argument(
            "--pattern",
            default="*.txt",
            help="File-name pattern inside directories (default *.txt; '*' for every file, each read by its content).",
        )
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

    def execute(self, *args, **options):
        """Run the command; from the command line, failed pieces or a stop end it with their message and exit
        status, not as an error of the command (Django would print "CommandError: ..."). call_command still
        raises `ImportStopped`, a CommandError."""
        try:
            return super().execute(*args, **options)
        except ImportStopped as stopped:
            if not self._called_from_command_line or options.get("traceback"):
                raise
            self.stderr.write(str(stopped))
            sys.exit(stopped.returncode)

    def handle(self, *args, paths, pattern, source, status, dry_run, report, no_clean, batch_size, verbosity, **_):
        try:
            options = ImportOptions(
                source=source,
                status=status,
                dry_run=dry_run,
                clean=not no_clean,
                batch_size=batch_size,
                channel=ImportBatch.Channel.COMMAND,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        ImportReporter(self, verbosity=verbosity, report=report).run(paths, options, pattern=pattern)
