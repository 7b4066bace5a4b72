"""Pre-started grading kernels: a worker starts its next submission's kernel while it grades the
current one, so that a submission does not wait for a kernel to boot (about a second of CPU:
Python, ipykernel and the whole grader imported, the tamper guard's snapshot taken).

Each kernel is still used for exactly one submission: :func:`claim` hands the executor of a
notebook a kernel that was started (sandboxed and guarded, by the executor's own kernel manager
class and settings) before anyone's code ran in it, takes it out of the pool for good, and starts
the next one. nbclient shuts the claimed kernel down at the end of the notebook, as it does a
kernel it started itself. A kernel that died while it waited is shut down and not used; a
notebook whose kernel does not match (another kernel name, manager class or setting) gets a
kernel started for it as before.

A kernel started ahead does not know its submission yet, but its working directory is bound into
its sandbox when it starts: each pre-started kernel gets a private, empty working folder, and
:func:`claim` copies the submission's folder into it before any cell runs. The kernel sees the
same files, read-only, at another path. The folder is removed once the notebook is graded
(:func:`release`).

Only grading day's local worker processes use a pool (:func:`enable`, from the worker's
initializer); plain ``nbgrader autograde`` and Dask workers start each kernel when it is needed.
When the worker exits (or :func:`disable` is called) the waiting kernel is shut down; a worker
that is killed takes it along (bubblewrap's ``--die-with-parent``).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from typing import Any

from jupyter_client.utils import run_sync

#: Environment variables a kernel inherits that nbgrader sets around autograding: a kernel
#: started ahead is handed out only where they have the values it was started with.
_ENV_KEYS = ("NBGRADER_EXECUTION",)


@dataclass
class Warm:
    """A kernel started ahead: its manager, its private working folder, and what it was
    started as (:func:`_key`)."""

    km: Any
    cwd: str
    key: tuple


@dataclass
class Pool:
    """The kernels one worker process started ahead (at most `size`), and the working folders
    of the kernels it handed out, to remove once their notebook is graded."""

    size: int = 1
    pid: int = field(default_factory=os.getpid)
    waiting: list[Warm] = field(default_factory=list)
    claimed: dict[int, str] = field(default_factory=dict)
    started: int = 0
    handed_out: int = 0
    discarded: int = 0


_POOL: Pool | None = None


def enable(size: int = 1) -> Pool:
    """Start kernels ahead in this process from now on (grading day's worker initializer)."""
    global _POOL
    if _POOL is None or _POOL.pid != os.getpid():
        import atexit
        from multiprocessing import util

        _POOL = Pool(size=size)
        # a pool worker ends with os._exit (no atexit), after running multiprocessing's finalizers
        util.Finalize(None, _close, args=(_POOL,), exitpriority=10)
        atexit.register(_close, _POOL)
    return _POOL


def active() -> Pool | None:
    """This process's pool, when enabled here (not in a process forked from it later) and
    asked from the thread that grades (not an event loop's)."""
    pool = _POOL
    if pool is None or pool.pid != os.getpid():
        return None
    if threading.current_thread() is not threading.main_thread() or _loop_running():
        return None
    return pool


def disable() -> None:
    """Shut down every kernel waiting in this process's pool and stop starting any."""
    if _POOL is not None:
        _close(_POOL)


def _close(pool: Pool) -> None:
    global _POOL
    if pool.pid != os.getpid():
        return  # a copy inherited by a fork: its kernels are not this process's
    if _POOL is pool:
        _POOL = None
    while pool.waiting:
        _discard(pool.waiting.pop())
    for cwd in pool.claimed.values():
        shutil.rmtree(cwd, ignore_errors=True)
    pool.claimed.clear()


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _alive(km: Any) -> bool:
    process = getattr(getattr(km, "provisioner", None), "process", None)
    return bool(km.has_kernel) and process is not None and process.poll() is None


def _discard(warm: Warm) -> None:
    """Kill a kernel that will not be used (again) and remove its folders."""
    try:
        if _alive(warm.km):
            run_sync(warm.km.shutdown_kernel)(now=True)
        else:
            run_sync(warm.km.cleanup_resources)()
    except Exception:  # noqa: BLE001 - already gone: nothing left to stop
        pass
    shutil.rmtree(warm.cwd, ignore_errors=True)


def _arguments(executor: Any, km: Any) -> list[str]:
    """The kernel's extra arguments, as nbclient's ``async_start_new_kernel`` would pass them."""
    args = list(executor.extra_arguments)
    hist = getattr(executor, "ipython_hist_file", None)
    if (getattr(km, "ipykernel", False) and hist
            and not any(a.startswith("--HistoryManager.hist_file") for a in args)):
        args.append(f"--HistoryManager.hist_file={hist}")
    return args


def _key(km: Any, args: list[str]) -> tuple:
    """What a kernel is started as: its manager class, kernel, settings, arguments and the
    environment variables nbgrader sets for it."""
    settings = tuple(getattr(km, name, None) for name in ("guard", "sandbox", "pictures"))
    return (type(km), km.kernel_name, settings, tuple(args),
            tuple(os.environ.get(k) for k in _ENV_KEYS))


def _start(pool: Pool, km: Any, args: list[str]) -> None:
    """Start `km`'s kernel now, in a new empty working folder, and keep it for a later claim."""
    cwd = tempfile.mkdtemp(prefix="grading-cwd-")
    try:
        run_sync(km.start_kernel)(extra_arguments=args, cwd=cwd)
    except Exception:
        shutil.rmtree(cwd, ignore_errors=True)
        raise
    pool.waiting.append(Warm(km, cwd, _key(km, args)))
    pool.started += 1


def _fill(folder: str, cwd: str) -> None:
    """Copy the submission's folder (what the kernel would have had as its working folder)."""
    shutil.copytree(folder, cwd, dirs_exist_ok=True, symlinks=True)


def claim(executor: Any, folder: str | None) -> Any | None:
    """A started kernel's manager for `executor` (an nbclient ``NotebookClient`` about to run a
    notebook whose folder is `folder`), with `folder` copied into its working folder, or None
    (start one as usual). Starts the next kernel ahead either way."""
    pool = active()
    if pool is None or not folder or not os.path.isdir(folder):
        return None
    spare = executor.create_kernel_manager()  # what the executor would start: the next one
    args = _arguments(executor, spare)
    key = _key(spare, args)
    found = None
    for warm in list(pool.waiting):
        if warm.key != key:
            continue
        pool.waiting.remove(warm)
        if _alive(warm.km):
            found = warm
            break
        pool.discarded += 1  # died while it waited: never used
        _discard(warm)
    for stale in [w for w in pool.waiting if w.key != key]:
        pool.waiting.remove(stale)  # started for another kind of notebook
        pool.discarded += 1
        _discard(stale)
    if len(pool.waiting) < pool.size:
        try:
            _start(pool, spare, args)
        except Exception as error:  # noqa: BLE001 - this notebook then starts its own
            executor.log.warning("Could not start the next grading kernel ahead: %s", error)
    executor.km = None
    if found is None:
        return None
    try:
        _fill(folder, found.cwd)
    except OSError as error:
        executor.log.warning("Could not prepare a started kernel's folder: %s", error)
        pool.discarded += 1
        _discard(found)
        return None
    pool.claimed[id(found.km)] = found.cwd
    pool.handed_out += 1
    return found.km


def release(km: Any) -> None:
    """The notebook that `km`'s kernel ran is graded: make sure the kernel is shut down (nbclient
    has done it, unless it failed before) and remove its working folder."""
    pool = _POOL
    if pool is None or km is None:
        return
    cwd = pool.claimed.pop(id(km), None)
    if cwd:
        _discard(Warm(km, cwd, ()))
