"""Stage chunks of pieces in worker processes while the caller writes the previous chunk to the database.

The workers start from a forkserver, never a fork of a process that may hold threads and database connections;
it loads the staging code and the word frequencies once for all of them (`preload.py`). A worker exits when the
import that started it is gone, and Ctrl-C is the importing process's alone to act on.
"""

import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from itertools import islice
from multiprocessing.connection import wait

from articles.ingest.reading import PieceInput
from articles.ingest.staging import StagedPiece


def stage_in_parallel(
    chunks: Iterable[list[PieceInput]],
    stage: Callable[[list[PieceInput]], list[StagedPiece]],
    *,
    workers: int | None = None,
) -> Iterator[list[StagedPiece]]:
    """Yield `stage(chunk)` for each chunk, in order, staging up to `workers` chunks ahead in other processes.

    A single chunk (an API call, an admin upload) is staged in this process: starting workers would cost more
    than it saves. Worker processes start from a fresh interpreter (forkserver), never a fork of a process that
    may hold threads and database connections.
    """
    workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    iterator = iter(chunks)
    first = next(iterator, None)
    if first is None:
        return
    second = next(iterator, None)
    if second is None or workers < 2:
        yield stage(first)
        if second is not None:
            yield stage(second)
            yield from map(stage, iterator)
        return
    context = multiprocessing.get_context("forkserver")
    # The forkserver loads the staging code and the word frequencies once; every worker is forked from it with both.
    context.set_forkserver_preload(["articles.ingest.preload"])
    with (
        ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_exit_with_parent) as pool,
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="staging-start") as starter,
    ):
        # Starting the forkserver blocks its caller for a fifth of a second, and the workers take longer still to
        # be ready: a thread hands them the next chunks while this process stages the first one, so that the
        # caller can write it meanwhile.
        ahead = [second, *islice(iterator, workers)]
        started = starter.submit(_start_workers, pool, stage, ahead)
        try:
            yield stage(first)
            pending = started.result()
            for chunk in iterator:
                yield pending.popleft().result()
                pending.append(pool.submit(stage, chunk))
            while pending:
                yield pending.popleft().result()
        except BaseException:
            # Stopped (Ctrl-C, an error, the caller closing this generator): drop the chunks not started yet
            # rather than stage them for nothing; the workers finish the chunk in hand and exit.
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def _start_workers(pool, stage, chunks) -> deque:
    """Submit the first chunks to the pool, which starts the forkserver and the workers from this thread.

    Ctrl-C in a terminal sends SIGINT to every process of the import; the main process stops the workers itself.
    Blocking SIGINT in this thread keeps it blocked in the forkserver started from here and in every worker it
    forks, so none of them prints a traceback of its own, even while starting up.
    """
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    return deque(pool.submit(stage, chunk) for chunk in chunks)


def _exit_with_parent() -> None:
    """Make this staging worker exit once the importing process that started it is gone.

    An import stopped normally shuts its workers down; one killed outright (SIGKILL, the OOM killer) cannot, and
    its workers would wait for work forever, keeping the forkserver alive with them. The parent's sentinel (a pipe
    the parent holds open) becomes readable when the parent dies, however it dies.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the importing process shuts its workers down itself
    sentinel = multiprocessing.parent_process().sentinel

    def watch() -> None:
        wait([sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
