"""You are the scheduler: a person picks which thread takes the next step."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ..base import _real
from ..base._seal import Sealed, seal
from ..base.errors import Failure
from ..base.trace import Event, Trace
from ..sync.lock import Lock
from ..sync.semaphore import Semaphore
from .options import Options
from .runner import Outcome, Runner, Threads, build_trace
from .schedulers import ManualScheduler


class ManualSession(metaclass=Sealed):
    """One execution driven step by step; ``undo`` and ``reset`` replay from the start.

    The engine's patches stay in place while a session runs (they only affect the session's
    own threads); ``close()`` (or finishing the run) removes them.
    """

    def __init__(self, setup: Callable[[], Any] | None, threads: Threads,
                 invariant: Callable[[Any], Any] | None = None, *,
                 options: Options | None = None, step_timeout: float = 10.0) -> None:
        self._args = (setup, threads, invariant)
        self._options = options or Options()
        self._step_timeout = step_timeout
        self.history: list[str] = []
        self._start()

    # ---- lifecycle -------------------------------------------------------------------------------
    def _start(self) -> None:
        setup, threads, invariant = self._args
        self._sched = ManualScheduler()
        self._runner = Runner(setup, threads, invariant, self._options)
        self._outcome: Outcome | None = None
        self._finished = False
        self._runner.__enter__()
        self._controller = threading.Thread(target=self._control, name="manual-scheduler",
                                            daemon=True)
        _real.thread_originals["start"](self._controller)
        self._wait()

    def _control(self) -> None:
        try:
            self._outcome = self._runner.execute(self._sched)
        finally:
            self._finished = True
            self._sched.asking.release()

    def _wait(self) -> None:
        if not self._sched.asking.acquire(timeout=self._step_timeout):
            raise TimeoutError("the step did not finish: the thread is stuck")
        if self._finished:
            _real.thread_originals["join"](self._controller, self._step_timeout)
            self._runner.__exit__(None, None, None)

    def close(self) -> None:
        """Stop the execution and restore everything."""
        if not self._finished:
            self._sched.pick(None)
            self._wait()

    def reset(self) -> None:
        """Start again from the beginning."""
        self.close()
        self.history = []
        self._start()

    def undo(self) -> None:
        """Take back the last step (the run is replayed up to the step before it)."""
        steps = self.history[:-1]
        self.reset()
        for name in steps:
            self.step(name)

    # ---- stepping --------------------------------------------------------------------------------
    def runnable(self) -> list[str]:
        """The threads that can take the next step."""
        return [] if self._finished else list(self._sched.enabled_names)

    def step(self, name: str) -> list[Event]:
        """Let ``name`` run to its next scheduling point; return what happened."""
        if name not in self.runnable():
            raise ValueError(f"{name!r} cannot run now; runnable: {self.runnable()}")
        rt = self._runner.current
        assert rt is not None
        before = len(rt.events)
        self._sched.pick(name)
        self._wait()
        self.history.append(name)
        return list(rt.events[before:])

    # ---- what a view shows -----------------------------------------------------------------------
    @property
    def done(self) -> bool:
        return self._finished

    @property
    def state(self) -> Any:
        return self._runner.state

    @property
    def failure(self) -> Failure | None:
        return self._outcome.failure if self._outcome else None

    @property
    def outcome(self) -> str:
        if not self._finished:
            return "running"
        if self._outcome is None:
            return "error"
        if self._outcome.failure is not None:
            return self._outcome.failure.kind
        return self._outcome.rt.outcome or "ok"

    @property
    def trace(self) -> Trace:
        rt = self._runner.current
        assert rt is not None
        return build_trace(self._outcome or Outcome(rt, self.state, None))

    def positions(self) -> dict[str, tuple[int | None, str]]:
        """Where each thread stands: the line (and its text) of its next step."""
        rt = self._runner.current
        out: dict[str, tuple[int | None, str]] = {}
        for t in rt.threads if rt else []:
            if t.finished:
                out[t.name] = (None, "finished")
            elif t.pending is not None and t.pending.line:
                out[t.name] = (t.pending.line, t.pending.source)
            else:
                out[t.name] = (None, "not started" if not t.started else "")
        return out

    def holders(self) -> dict[str, str]:
        """Each lock (or semaphore permit) held now, and the thread holding it."""
        rt = self._runner.current
        out: dict[str, str] = {}
        for ref in rt.objects if rt else []:
            obj = ref()  # primitives register weakly (a dropped one can be collected)
            if isinstance(obj, Lock) and obj._count and obj._owner is not None:
                out[obj._label] = obj._owner.name
            elif isinstance(obj, Semaphore) and obj._holders:
                out[obj._label] = ", ".join(t.name for t in obj._holders if t is not None)
        return out

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - best effort at interpreter exit
            pass

seal(__name__)  # the code under test cannot rewrite the grader
