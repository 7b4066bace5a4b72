"""Where jobs run: a local process pool, or a Dask ``distributed`` cluster, both behind the
``concurrent.futures.Executor`` interface."""

from __future__ import annotations

import multiprocessing
import os
import signal
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager

from . import jobs, warm_kernels

#: Set to 0 to start each kernel only when its submission needs it (for comparisons).
WARM_KERNELS_ENV = "AUTOGRADER_WARM_KERNELS"


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _worker_init(log_dir: str | None) -> None:
    # Ctrl-C reaches the whole process group: the parent decides, workers just get stopped.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if os.environ.get(WARM_KERNELS_ENV, "1") != "0":
        # each worker starts its next submission's kernel while it grades the current one
        warm_kernels.enable()
    if log_dir:
        # nbgrader's and the kernels' own chatter goes to a log file, not over the progress bar
        os.makedirs(log_dir, exist_ok=True)
        fd = os.open(os.path.join(log_dir, f"worker-{os.getpid()}.log"),
                     os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.close(fd)


def local_pool(workers: int, log_dir: str | None = None) -> ProcessPoolExecutor:
    """Worker processes forked from this one (POSIX), which has imported nbgrader already: a
    worker starts without paying for ``import nbgrader`` again, and its CPU time (its kernels'
    included) is counted in this process's children once the pool is shut down. Call
    :func:`warm` before starting any thread (a progress bar's) so that every fork happens first."""
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_init,
                               initargs=(log_dir,))


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
def executor(workers: int | None = None, scheduler: str | None = None,
             log_dir: str | None = None):
    """Yield (executor, description). With `scheduler` (a Dask scheduler address, such as
    ``tcp://10.0.0.5:8786``), the Dask cluster's workers run the jobs; they must see the course
    folder at the same path and reach the gradebook. Local workers write their output (nbgrader's
    log, the kernels') to `log_dir`/worker-<pid>.log."""
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
    pool = local_pool(n, log_dir)
    try:
        warm(pool, n)
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
