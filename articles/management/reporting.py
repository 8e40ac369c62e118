"""What the import command shows while it imports: the report file, a progress bar on a terminal (with a total, so an
ETA), a line per piece (failures at verbosity 1, every piece at 2), the summary with the pieces that have warnings
and the batch's admin page, and the exit status as an `ImportStopped` error that is shown as a message, not as a
crash.

The import itself is `articles.ingest.import_paths`, which prints nothing; this is the command's presentation of it.
"""

import json
import os
import re
import sys

from django.core.management.base import CommandError
from django.urls import NoReverseMatch, reverse

from articles.ingest import ImportInterrupted, ImportOptions, MissingPathError, PieceResult, import_paths
from articles.ingest.reading import count_piece_files

# A terminal that reports no size (a serial console, some containers' terminals) gets a bar of this size.
FALLBACK_COLUMNS, FALLBACK_LINES = 80, 24
_LATER_ITEM_RE = re.compile(r"#item-(\d+)$")


class ImportStopped(CommandError):
    """Pieces failed, or the import was stopped: the summary has said what happened, and the exit status says it
    too. The command prints it as a message (`Command.execute`), since nothing crashed."""


class ImportReporter:
    """Run an import for the command, showing its progress and outcome through the command's streams."""

    def __init__(self, command, *, verbosity: int, report: str | None):
        self.command, self.verbosity, self.report = command, verbosity, report
        self.report_file = None
        self.progress = None
        self.warned = 0

    def run(self, paths: list[str], options: ImportOptions, *, pattern: str) -> None:
        """Import `paths`; raise CommandError for a missing path, ImportStopped for a failed piece (status 1) or
        Ctrl-C (130)."""
        try:
            self.report_file = open(self.report, "w", encoding="utf-8") if self.report else None  # noqa: SIM115
        except (ValueError, OSError) as error:  # a path the system refuses (a NUL in it), or cannot open
            raise CommandError(str(error)) from error
        self.progress = progress_bar(self.command, verbosity=self.verbosity, total=lambda: _total(paths, pattern))
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
            raise ImportStopped(message, returncode=130)
        if outcome.failed:
            message = f"{outcome.failed} of {outcome.total} pieces failed; see the lines above or the report."
            raise ImportStopped(message)

    def show(self, result: PieceResult) -> None:
        """Report one piece's result as soon as it is known."""
        if self.report_file:
            self.report_file.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
        self.warned += bool(result.warnings)
        if self.progress is not None:
            later_item = _LATER_ITEM_RE.search(result.origin)
            if later_item and int(later_item[1]) > 1 and self.progress.total is not None:
                self.progress.total += 1  # a document's file was counted once; its later items add to the total
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
        warned = f"; {self.warned} with warnings" if self.warned else ""
        line = f"{prefix}{outcome.total} pieces in {outcome.seconds:.2f} s ({rate:,.0f}/s): {counts}{warned}."
        self.command.stdout.write(style(line))
        if outcome.batch_id:
            self.command.stdout.write(f"Import batch {outcome.batch_id}: {batch_admin_url(outcome.batch_id)}")
        if outcome.total == 0 and not outcome.interrupted:
            self.command.stdout.write(self.command.style.WARNING(f"No pieces found matching {pattern!r}."))


def batch_admin_url(batch_id: int) -> str:
    """Return the path of the batch's page in the admin (its records, outcomes and warnings are linked from it)."""
    try:
        return reverse("admin:articles_importbatch_change", args=[batch_id])
    except NoReverseMatch:  # a site without the admin
        return f"import batch {batch_id}"


def _total(paths: list[str], pattern: str) -> int | None:
    try:
        return count_piece_files(paths, pattern=pattern)
    except OSError:
        return None  # the import itself reports what cannot be listed


def progress_bar(command, *, verbosity: int, total=None):
    """Return a tqdm bar on a terminal, else None; it writes to the raw stream, not Django's OutputWrapper.

    `total` is called only when a bar is drawn (counting the files costs a listing of the folders). A terminal
    that reports no size (0 columns or 0 lines: a serial console, a container's terminal) gets a fixed bar, since
    tqdm draws nothing at all for a terminal 0 lines high, and its width follows the terminal's otherwise."""
    stream = getattr(command.stderr, "_out", sys.stderr)
    if verbosity == 0 or not stream.isatty():
        return None
    from tqdm import tqdm

    columns, lines = _terminal_size(stream)
    sized = columns > 0 and lines > 0
    return tqdm(
        total=total() if callable(total) else total,
        unit="piece",
        file=stream,
        dynamic_ncols=sized,
        ncols=None if sized else columns or FALLBACK_COLUMNS,
        nrows=None if sized else lines or FALLBACK_LINES,
    )


def _terminal_size(stream) -> tuple[int, int]:
    """Return the terminal's (columns, lines): 0 where it reports none, or when the stream has no descriptor."""
    try:
        size = os.get_terminal_size(stream.fileno())
    except (AttributeError, ValueError, OSError):  # io.UnsupportedOperation is both of the last two
        return 0, 0
    return size.columns, size.lines
