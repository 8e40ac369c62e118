"""What the import command shows while it imports: the report file, a progress bar on a terminal, a line per piece
(failures at verbosity 1, every piece at 2), the summary, and the exit status as a `CommandError`.

The import itself is `articles.ingest.import_paths`, which prints nothing; this is the command's presentation of it.
"""

import json
import sys

from django.core.management.base import CommandError

from articles.ingest import ImportInterrupted, ImportOptions, MissingPathError, PieceResult, import_paths


class ImportReporter:
    """Run an import for the command, showing its progress and outcome through the command's streams."""

    def __init__(self, command, *, verbosity: int, report: str | None):
        self.command, self.verbosity, self.report = command, verbosity, report
        self.report_file = None
        self.progress = None

    def run(self, paths: list[str], options: ImportOptions, *, pattern: str) -> None:
        """Import `paths`; raise CommandError for a missing path, a failed piece (status 1) or Ctrl-C (130)."""
        try:
            self.report_file = open(self.report, "w", encoding="utf-8") if self.report else None  # noqa: SIM115
        except (ValueError, OSError) as error:  # a path the system refuses (a NUL in it), or cannot open
            raise CommandError(str(error)) from error
        self.progress = progress_bar(self.command, verbosity=self.verbosity)
        interrupted = None
        try:
            outcome = import_paths(paths, options, pattern=pattern, on_result=self.show)
        except MissingPathError as error:
            raise CommandError(str(error)) from error
        except ImportInterrupted as stop:
            outcome = interrupted = stop.report
        finally:
            if self.progress is not None:
                self.progress.close()
            if self.report_file:
                self.report_file.close()
        if self.verbosity >= 1 or interrupted:
            self.summarise(outcome, dry_run=options.dry_run, pattern=pattern)
        if interrupted:
            batch = f"; import batch {outcome.batch_id} is marked interrupted" if outcome.batch_id else ""
            message = f"Interrupted: {outcome.total} pieces were stored before the stop{batch}."
            raise CommandError(message, returncode=130)
        if outcome.failed:
            raise CommandError(f"{outcome.failed} of {outcome.total} pieces failed; see the lines above or the report.")

    def show(self, result: PieceResult) -> None:
        """Report one piece's result as soon as it is known."""
        if self.report_file:
            self.report_file.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
        if self.progress is not None:
            self.progress.update()
        if self.verbosity >= 2 or (self.verbosity >= 1 and result.outcome == "failed"):
            line = f"{result.outcome:>9}  {result.origin}" + (f"  ({result.error})" if result.error else "")
            (self.progress.write if self.progress is not None else self.command.stdout.write)(line)

    def summarise(self, outcome, *, dry_run: bool, pattern: str) -> None:
        counts = ", ".join(f"{n} {name}" for name, n in outcome.summary().items())
        if outcome.interrupted:
            prefix = "Interrupted, dry run, nothing written: " if dry_run else "Interrupted: "
        else:
            prefix = "Dry run, nothing written: " if dry_run else ""
        rate = outcome.total / outcome.seconds if outcome.seconds else 0
        style = self.command.style.ERROR if outcome.failed or outcome.interrupted else self.command.style.SUCCESS
        line = f"{prefix}{outcome.total} pieces in {outcome.seconds:.2f} s ({rate:,.0f}/s): {counts}."
        self.command.stdout.write(style(line))
        if outcome.total == 0 and not outcome.interrupted:
            self.command.stdout.write(self.command.style.WARNING(f"No pieces found matching {pattern!r}."))


def progress_bar(command, *, verbosity: int):
    """Return a tqdm bar on a terminal, else None; it writes to the raw stream, not Django's OutputWrapper."""
    stream = getattr(command.stderr, "_out", sys.stderr)
    if verbosity == 0 or not stream.isatty():
        return None
    from tqdm import tqdm

    return tqdm(unit="piece", file=stream, dynamic_ncols=True)
