"""The managed threads of an execution: :class:`MThread` (its baton lock, its pending operation,
what it holds), the pooled OS threads that run them (:class:`Worker`), the :class:`Handle`
``threading.current_thread()`` gives inside one; and, for the watchdog, whether a thread burns
CPU (:func:`moving`) or waits for a core on a busy machine (:func:`runnable`, :func:`cpu_seconds`),
and an exception raised in it (:func:`raise_in`).
"""

from __future__ import annotations

import ctypes
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..base import _real
from ..base._seal import Sealed, seal
from .ops import Op, StartOp

if TYPE_CHECKING:  # annotations only: execution imports this module
    from .execution import Execution


def moving(t: MThread | None) -> bool:
    """Whether ``t`` burns CPU (a loop) rather than waiting inside one call."""
    if t is None or t.ident is None:
        return False
    before = cpu_seconds(t)
    if before is not None:
        for _ in range(10):  # up to 0.5 s: on a busy machine a loop gets a core only now and then
            _real.sleep(0.05)
            now = cpu_seconds(t)
            if now is not None and now - before > 0.005:
                return True
        return False
    seen = set()  # no per-thread CPU clock: compare where it stands
    for _ in range(5):
        f = sys._current_frames().get(t.ident)
        seen.add((id(f), f.f_lasti if f is not None else -1))
        _real.sleep(0.01)
    return len(seen) > 1


def cpu_seconds(t: MThread | None) -> float | None:
    """The CPU time ``t``'s OS thread has used, or None where it cannot be read."""
    if t is None or t.ident is None:
        return None
    try:
        return time.clock_gettime(time.pthread_getcpuclockid(t.ident))
    except (AttributeError, OSError):
        return None


def runnable(t: MThread | None) -> bool:
    """Whether ``t``'s thread is running or ready to run (Linux: state ``R`` in
    ``/proc/self/task/<tid>/stat``) rather than asleep in a call; False where this cannot be
    told. Ready to run while its CPU time stands still: the machine is busy and has not given it a
    core; such a thread is neither blocked nor spinning, only slow."""
    if t is None or t.native_id is None:
        return False
    try:
        with open(f"/proc/self/task/{t.native_id}/stat", encoding="ascii") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state == "R"


def raise_in(t: MThread, exc: type[BaseException]) -> None:
    """Raise ``exc`` asynchronously in thread ``t`` (at its next bytecode instruction)."""
    if t.ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(t.ident), ctypes.py_object(exc))


class MThread(metaclass=Sealed):
    """A managed thread: its baton lock, its pending operation, what it holds."""

    def __init__(self, rt: Execution, tid: int, name: str, target: Callable[[], Any],
                 handle: Any) -> None:
        self.rt = rt
        self.tid = tid
        self.name = name
        self.target = target
        self.handle = handle
        self.go = _real.allocate_lock()
        self.go.acquire()
        self.pending: Op | None = StartOp(f"t:{tid}", False, name)
        self.started = False
        self.finished = False
        self.exited = False
        self.ident: int | None = None
        self.native_id: int | None = None  # the OS's id of its thread (/proc/self/task/<id>)
        self.spin = 0
        #: Since its last step with progress: the steps it took (``trail``) and how many times
        #: in a row the latest stretch of them repeated (``loops``: a polling loop's turns).
        self.trail: list[tuple[Any, ...]] = []
        self.loops = 0
        #: The steps of that stretch: what a polling loop re-reads.
        self.cycle: list[tuple[Any, ...]] = []
        self.in_check = False
        self.held: list[Any] = []
        self.spawned_at: int | None = None  # step index of the spawn, for happens-before
        self.children = 0  # threads it started so far (their names count them)
        self.gone = _real.allocate_lock()  # released when the OS thread is about to exit
        self.gone.acquire()
        self.daemon = bool(getattr(handle, "daemon", False))
        #: The last exception shown as a ``raise`` event (shown once as it propagates).
        self.reported: BaseException | None = None

    def __repr__(self) -> str:
        return f"<MThread {self.name} tid={self.tid}>"


class Worker(metaclass=Sealed):
    """An OS thread that runs managed threads one after another (starting threads is slow)."""

    idle: list[Worker] = []

    def __init__(self) -> None:
        self.wake = _real.allocate_lock()
        self.wake.acquire()
        self.job: tuple[Execution, MThread] | None = None
        _real.start_new_thread(self._loop, ())

    @classmethod
    def take(cls) -> Worker:
        try:
            return cls.idle.pop()
        except IndexError:
            return cls()

    def run(self, rt: Execution, t: MThread) -> None:
        self.job = (rt, t)
        self.wake.release()

    def _loop(self) -> None:
        while True:
            self.wake.acquire()
            rt, t = self.job  # type: ignore[misc]
            self.job = None
            try:
                rt._bootstrap(t)
            finally:
                if rt.reuse_threads:
                    self.idle.append(self)  # reusable before the controller hears it is done
                t.gone.release()
            if not rt.reuse_threads:
                return


class Handle(metaclass=Sealed):
    """What ``threading.current_thread()`` returns inside a thread the test started."""

    daemon = False  # like the main thread: threads it starts are not daemons by default

    def __init__(self, name: str) -> None:
        self.name = name
        self.ident: int | None = None
        self.native_id: int | None = None

    def getName(self) -> str:  # noqa: N802 - threading's old API
        return self.name

    def is_alive(self) -> bool:
        return True

    def __repr__(self) -> str:
        return f"<Thread({self.name}, managed by the grader)>"


seal(__name__)  # the code under test cannot rewrite the grader
