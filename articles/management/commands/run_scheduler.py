import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from articles import scheduler


class Command(BaseCommand):
    help = (
        "Enqueue the background work that is due (queued imports nobody holds, work of workers that died) and mark "
        "the queue's abandoned tasks failed, every few seconds; --once for a single pass (cron, tests)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Look for due work once, then exit.")
        parser.add_argument(
            "--interval",
            type=float,
            default=None,
            help="Seconds between passes (default: NEWSROOM_SCHEDULER_INTERVAL_SECONDS).",
        )

    def handle(self, *args, once, interval, verbosity, **options):
        if interval is not None and interval <= 0:
            raise CommandError("--interval must be a positive number of seconds.")
        if once:
            done = scheduler.tick()
            self._report(done, verbosity, quiet_when_idle=False)
            if any(count < 0 for count in done.values()):
                raise CommandError("Some due work could not be looked at; the log says why.")
            return
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        if verbosity:
            self.stdout.write("Scheduler started; Ctrl-C to stop.")
        scheduler.run(interval=interval, stop=stop, on_tick=lambda done: self._report(done, verbosity))

    def _report(self, done: dict[str, int], verbosity: int, *, quiet_when_idle: bool = True) -> None:
        if not verbosity or (quiet_when_idle and not any(done.values())):
            return
        for name, count in done.items():
            line = f"{name}: {'failed (see the log)' if count < 0 else count}"
            self.stdout.write(self.style.ERROR(line) if count < 0 else line)
