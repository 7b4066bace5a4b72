"""Runs executions of one program with the engine's patches in place: :class:`Runner`, the
:class:`Outcome` of one execution, the final check and the trace of an execution."""

from __future__ import annotations

import random
import types
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..base import _real
from ..base._seal import Sealed, seal
from ..base.errors import Failure
from ..base.trace import Trace
from ..runtime import tracing
from ..runtime.execution import Execution, controllers
from ..runtime.scheduler import Scheduler
from ..sync import patching, queues
from . import analysis
from .options import Options

ThreadSpec = Callable[..., Any]
Threads = Sequence[ThreadSpec] | Sequence[tuple[str, ThreadSpec]] | Mapping[str, ThreadSpec]

def _threads_of(threads: Threads) -> list[tuple[str, ThreadSpec]]:
    if isinstance(threads, Mapping):
        return [(str(k), v) for k, v in threads.items()]
    out = []
    for i, t in enumerate(threads):
        if isinstance(t, tuple):
            out.append((str(t[0]), t[1]))
        else:
            out.append((f"T{i + 1}", t))
    if not out:
        raise ValueError("explore() needs at least one thread")
    for name, fn in out:
        if not callable(fn):
            raise TypeError(f"thread {name!r} is not callable: {fn!r}")
    if len({n for n, _ in out}) != len(out):
        raise ValueError("thread names must be different")
    return out


def _code_and_globals(fn: Any) -> tuple[list[types.CodeType], list[dict[str, Any]]]:
    codes, spaces = [], []
    seen: set[int] = set()
    todo = [fn]
    while todo:
        f = todo.pop()
        if f is None or id(f) in seen:
            continue
        seen.add(id(f))
        if isinstance(f, types.MethodType):
            todo.append(f.__func__)
        elif hasattr(f, "func") and callable(f.func):  # functools.partial
            todo.append(f.func)
        elif isinstance(f, types.FunctionType):
            codes.append(f.__code__)
            spaces.append(f.__globals__)
        elif isinstance(f, type):
            todo.extend(v for v in vars(f).values() if isinstance(v, types.FunctionType))
    return codes, spaces


@dataclass
class Outcome(metaclass=Sealed):
    """One execution and what it meant."""

    rt: Execution
    state: Any
    failure: Failure | None
    diverged: bool = False


class Runner(metaclass=Sealed):
    """Runs executions of one program with the engine's patches in place."""

    def __init__(self, setup: Callable[[], Any] | None, threads: Threads,
                 invariant: Callable[[Any], Any] | None, options: Options) -> None:
        self.setup = setup
        self.threads = _threads_of(threads)
        self.invariant = invariant
        self.options = options
        codes, spaces = [], []
        for fn in [setup, invariant] + [f for _, f in self.threads]:
            c, s = _code_and_globals(fn)
            codes += c
            spaces += s
        for ns in list(spaces):  # the student's own modules imported there
            for v in list(ns.values()):
                if isinstance(v, types.ModuleType) and tracing.is_traced_file(
                        getattr(v, "__file__", None) or "<builtin>"):
                    spaces.append(vars(v))
        for ns in list(spaces):  # the functions and classes the student defined beside them
            for v in list(ns.values()):
                if isinstance(v, (types.FunctionType, type)) and getattr(
                        v, "__module__", None) == ns.get("__name__"):
                    codes += _code_and_globals(v)[0]
        unique: dict[int, dict[str, Any]] = {id(ns): ns for ns in spaces}
        self.namespaces = list(unique.values())
        self.codes = codes
        # queue calls are single steps unless the code takes a queue's own locks itself
        self.patches = patching.Patches(atomic_queues=not any(
            n in c.co_names for c in codes for n in queues.INTERNALS))
        # OS threads are reused across executions unless the code keeps thread-local data,
        # which would then leak from one execution into the next
        self.reuse_threads = not any("local" in c.co_names for c in codes)
        self.current: Execution | None = None
        self.state: Any = None

    def __enter__(self) -> Runner:
        self.patches.install()
        tracing.instrument(self.codes)
        return self

    def __exit__(self, *exc: Any) -> None:
        self.patches.uninstall()
        patching.reset_threads()

    def execute(self, scheduler: Scheduler) -> Outcome:
        o = self.options
        rt = Execution([], scheduler, watchdog=o.watchdog, spin_limit=o.spin_limit,
                       fair_limit=o.fair_limit,
                       max_steps=o.max_steps, reuse_threads=self.reuse_threads)
        self.current, self.state = rt, None
        me = _real.get_ident()
        controllers[me] = rt
        saved_random = random.getstate()
        random.seed(o.seed)
        state: Any = None
        try:
            self.patches.reinstall()
            self.patches.substitute(self.namespaces)
            try:
                state = self.setup() if self.setup is not None else None
            except Exception as e:  # noqa: BLE001 - the student's constructor may raise
                failure = Failure("setup", f"Setting up the test raised {type(e).__name__}: {e}")
                return Outcome(rt, None, failure)
            self.state = state
            analysis.name_primitives(state, self.namespaces)
            rt.thread_specs = [(name, _bind(fn, state, self.setup is not None))
                               for name, fn in self.threads]
            if o.check_every_step and self.invariant is not None:
                inv = self.invariant
                rt.check_always = lambda: inv(state)
            rt.run()
            failure = self._judge(rt, state)
            return Outcome(rt, state, failure, bool(getattr(scheduler, "diverged", False)))
        finally:
            controllers.pop(me, None)
            random.setstate(saved_random)

    def _judge(self, rt: Execution, state: Any) -> Failure | None:
        tampered = self.patches.tampered()
        if tampered:
            return Failure("tampering", "The code under test replaced "
                           + ", ".join(tampered) + " while it ran. Tests run your code with "
                           "threading as Python provides it; leave threading and the grader alone.")
        if rt.failure is not None:
            return rt.failure
        if rt.outcome == "deadlock":
            return analysis.deadlock_failure(rt)
        if rt.outcome == "ok" and self.invariant is not None:
            return check_invariant(self.invariant, state)
        return None


def busy_wait_failure(rt: Execution) -> Failure | None:
    """The busy-wait an execution showed (a thread spinning while another could run)."""
    if rt.polled is None:
        return None
    name, line, source = rt.polled
    where = f" at line {line} ({source})" if line else ""
    return Failure("spin", f"{name} is spinning (busy-waiting){where}: it loops, re-reading "
                   "shared state until another thread changes it, instead of blocking until it "
                   "is told (with a Lock, an Event or a Condition); busy-waiting burns a core "
                   "and can starve the thread it waits for.", name, line, source)


def _bind(fn: ThreadSpec, state: Any, with_state: bool) -> Callable[[], Any]:
    if with_state:
        return lambda: fn(state)
    return fn


def check_invariant(invariant: Callable[[Any], Any], state: Any) -> Failure | None:
    """Run the test's final check; a False result or an AssertionError is a failure."""
    try:
        ok = invariant(state)
    except AssertionError as e:
        return Failure("invariant", f"The final check failed: {e}" if str(e) else
                       "The final check failed.")
    except Exception as e:  # noqa: BLE001 - a broken answer can make the check itself raise
        return Failure("invariant", f"The final check raised {type(e).__name__}: {e}")
    if ok is False:
        return Failure("invariant", "The final check returned False.")
    return None


def build_trace(outcome: Outcome) -> Trace:
    """The trace of an execution, as data for pictures and messages."""
    rt = outcome.rt
    kind = outcome.failure.kind if outcome.failure else (rt.outcome or "ok")
    return Trace(
        events=list(rt.events), threads=[t.name for t in rt.threads], outcome=kind,
        cycle=analysis.wait_cycle(rt) if rt.outcome == "deadlock" else None,
        blocked={t.name: t.pending.label for t in rt.threads
                 if not t.finished and t.pending is not None} if rt.outcome == "deadlock" else {},
        holding={t.name: [h._label for h in t.held] for t in rt.threads if t.held},
    )

seal(__name__)  # the code under test cannot rewrite the grader
