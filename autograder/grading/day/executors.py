"""Where jobs run: a local process pool, or a Dask ``distributed`` cluster, both behind the
``concurrent.futures.Executor`` interface."""

from __future__ import annotations

import multiprocessing
import os
import signal
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager

from . import jobs


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _ignore_sigint() -> None:
    # Ctrl-C reaches the whole process group: the parent decides, workers just get stopped.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def local_pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes forked from a server that has imported nbgrader once (POSIX), so each
    worker starts without paying for ``import nbgrader`` again."""
    try:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["autograder.grading.day.jobs", "nbgrader.apps",
                                    "nbgrader.converters"])
    except ValueError:  # no forkserver (Windows, macOS without it)
        ctx = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_ignore_sigint)


def stop_pool(pool: Executor) -> None:
    """Stop now: cancel what has not started, kill the workers (their kernels exit with them)."""
    processes = getattr(pool, "_processes", None) or {}
    for proc in list(processes.values()):
        try:
            proc.kill()
        except (OSError, AttributeError):
            pass
    pool.shutdown(wait=False, cancel_futures=True)


@contextmanager
def executor(workers: int | None = None, scheduler: str | None = None):
    """Yield (executor, description). With `scheduler` (a Dask scheduler address, such as
    ``tcp://10.0.0.5:8786``), the Dask cluster's workers run the jobs; they must see the course
    folder at the same path and reach the gradebook."""
    if scheduler:
        try:
            from distributed import Client
        except ImportError as error:  # pragma: no cover - in requirements.txt
            raise RuntimeError("--scheduler needs the 'distributed' package") from error
        client = Client(scheduler, timeout="20s", set_as_default=False)
        try:
            n = len(client.scheduler_info().get("workers", {}))
            pool = client.get_executor(pure=False)
            yield pool, f"Dask cluster {scheduler} ({n} workers)"
        finally:
            client.close()
        return
    n = workers or default_workers()
    pool = local_pool(n)
    try:
        yield pool, f"{n} local worker process(es)"
    except BaseException:
        stop_pool(pool)
        raise
    else:
        pool.shutdown(wait=True)


def warm(pool: Executor, workers: int) -> None:
    """Start the workers (each imports nbgrader) before the clock of the first job starts."""
    for future in [pool.submit(jobs.warm_up) for _ in range(workers)]:
        future.result()
