"""The test-facing API: ``explore`` every interleaving that matters, ``replay`` one schedule."""

from __future__ import annotations

import itertools
import random
import types
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import analysis, report
from .base import _real
from .base._seal import Sealed, seal
from .base.errors import Failure
from .base.trace import Trace
from .dpor import Explorer
from .runtime import tracing
from .runtime.execution import Execution, controllers
from .runtime.ops import StartOp
from .schedulers import FirstScheduler, PCTScheduler, ReplayScheduler
from .sync import patching

ThreadSpec = Callable[..., Any]
Threads = Sequence[ThreadSpec] | Sequence[tuple[str, ThreadSpec]] | Mapping[str, ThreadSpec]


UNTRACED = ("no step of the threads touched shared state the engine can see: if the code under "
             "test is in a file it does not trace (the standard library, site-packages, this "
             "project's packages, code compiled from a string), nothing was tested")


TIME_NOTE = ("the time budget ended the search before the execution budget did: on a faster "
             "or slower machine it could have explored a different number of executions")


@dataclass
class Options(metaclass=Sealed):
    """Limits of one exploration (all have defaults that suit a notebook test)."""

    max_executions: int = 2000
    time_budget: float = 3.0
    seed: int = 0
    #: Preemption bounds searched in turn before the budget goes to PCT; None is unbounded.
    bounds: tuple[int | None, ...] = (None,)
    random_share: float = 0.25
    watchdog: float = 1.5
    spin_limit: int = 2000
    #: Times a thread may take the same step without progress (a polling loop's turns) before
    #: it yields to the others (fair scheduling).
    fair_limit: int = 3
    #: Report a thread that busy-waits (loops re-reading state until another thread changes
    #: it) as ``spin`` when nothing else fails: the course's contracts say waiting blocks.
    busy_wait: bool = True
    max_steps: int = 20000
    check_every_step: bool = False
    lock_order: bool = True


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
        self.patches = patching.Patches()
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

    def execute(self, scheduler: Any) -> Outcome:
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


@dataclass
class Result(metaclass=Sealed):
    """What exploring a program found."""

    verdict: str
    executions: int
    exhaustive: bool
    seconds: float
    failure: Failure | None = None
    trace: Trace | None = None
    schedule: list[str] | None = None
    first_failure_seconds: float | None = None
    #: Executions cut short because every order from their last state was already covered.
    redundant: int = 0
    notes: list[str] = field(default_factory=list)
    state: Any = None
    _replay: Callable[[], Result] | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.verdict == "ok"

    @property
    def message(self) -> str:
        """The student-readable explanation."""
        return report.explain(self)

    def assert_ok(self) -> None:
        """Raise ``AssertionError`` with the explanation unless every interleaving passed."""
        if not self.ok:
            report.failed(self)
            raise AssertionError(self.message)

    def replay(self) -> Result:
        """Run the failing schedule again (it fails the same way)."""
        if self._replay is None:
            raise ValueError("nothing to replay: no failing schedule was found")
        return self._replay()

    def __str__(self) -> str:
        return self.message


def _fail_result(outcome: Outcome, executions: int, started: float, exhaustive: bool,
                 runner_args: tuple[Any, ...], notes: list[str], redundant: int = 0) -> Result:
    schedule = outcome.rt.schedule()
    setup, threads, invariant, options = runner_args
    seconds = _real.perf_counter() - started
    return Result(
        verdict=outcome.failure.kind,  # type: ignore[union-attr]
        executions=executions, exhaustive=exhaustive, seconds=seconds,
        failure=outcome.failure, trace=build_trace(outcome), schedule=schedule,
        first_failure_seconds=seconds, notes=notes, state=outcome.state, redundant=redundant,
        _replay=lambda: replay(setup, threads, schedule, invariant, options=options))


def preemptions(rt: Execution) -> int:
    """How many times the execution switched away from a thread that could have gone on."""
    recs = rt.records
    return sum(1 for a, b in itertools.pairwise(recs) if b.tid != a.tid and a.tid in b.enabled)


class _Search(metaclass=Sealed):
    """The running totals of one call to :func:`explore`."""

    def __init__(self, runner: Runner, options: Options) -> None:
        self.runner = runner
        self.o = options
        self.started = _real.perf_counter()
        self.executions = 0
        self.redundant = 0
        self.notes: list[str] = []
        self.lockorder = analysis.LockOrder()
        self.lengths: list[int] = []
        self.traced_steps = 0
        #: The first execution in which a thread busy-waited (and nothing failed).
        self.polled: Outcome | None = None

    def out_of_budget(self, limit: int) -> bool:
        if self.executions >= limit:
            return True
        if _real.perf_counter() - self.started > self.o.time_budget:
            if TIME_NOTE not in self.notes:
                self.notes.append(TIME_NOTE)
            return True
        return False

    def run(self, scheduler: Any) -> Outcome:
        out = self.runner.execute(scheduler)
        self.executions += 1
        self.lengths.append(len(out.rt.records))
        self.traced_steps += sum(1 for r in out.rt.records if not isinstance(r.op, StartOp))
        self.lockorder.add(out.rt)
        if self.polled is None and out.failure is None and out.rt.polled is not None:
            self.polled = out
        return out

    def dpor(self, bound: int | None, limit: int) -> tuple[Outcome | None, bool]:
        """Explore with DPOR under ``bound``; return (a failing outcome, whether complete)."""
        explorer = Explorer(bound, observe_all=self.o.check_every_step)
        retried = False
        while True:
            out = self.run(explorer.scheduler())
            if out.diverged and not retried:
                retried = True
                continue
            if out.diverged:
                self.notes.append("a replay diverged: the code under test is not "
                                  "deterministic (it depends on more than the schedule)")
            else:
                explorer.record(out.rt)
                self.redundant += out.rt.outcome == "pruned"
            retried = False
            if out.failure is not None:
                return out, False
            if not explorer.advance():
                complete = explorer.pruned_by_bound == 0 and not self.notes
                return None, complete
            if self.out_of_budget(limit):
                return None, False


def explore(setup: Callable[[], Any] | None, threads: Threads,
            invariant: Callable[[Any], Any] | None = None, *, options: Options | None = None,
            **kw: Any) -> Result:
    """Run ``threads`` under every interleaving that matters and check ``invariant``.

    ``setup()`` builds fresh shared state for each execution; each thread function is called
    with it (with no argument when ``setup`` is None). ``invariant(state)`` runs after the threads
    finish (and after every step with ``check_every_step=True``): returning False or raising
    ``AssertionError`` is a failure. Keyword arguments override :class:`Options` fields.

    The search: one run without preemption; then DPOR with sleep sets over every interleaving
    that matters (all of them when it completes within the budget); when it finds a failure,
    a preemption-bounded search (0, 1, 2, ... preemptions) for the simplest failing schedule;
    when the budget runs out first, seeded PCT runs for the rest of it.
    """
    o = options or Options(**kw)
    if options is not None and kw:
        o = Options(**{**o.__dict__, **kw})
    args = (setup, threads, invariant, o)
    with Runner(setup, threads, invariant, o) as runner:
        s = _Search(runner, o)

        def failed(out: Outcome) -> Result:
            return _fail_result(out, s.executions, s.started, False, args, s.notes,
                                s.redundant)

        if tracing.USE_MONITORING:  # the first run of fresh code can miss instruction events
            warm = s.run(FirstScheduler(fair=True))  # as fair as the search that follows
            if warm.failure is not None:
                return failed(warm)
        systematic = max(1, int(o.max_executions * (1 - o.random_share)))
        exhaustive = False
        for bound in o.bounds:
            out, complete = s.dpor(bound, systematic)
            if out is not None:
                first = _real.perf_counter() - s.started
                out = _simplest(s, out, bound, systematic)
                res = failed(out)
                res.first_failure_seconds = first
                return res
            if complete:
                exhaustive = True
                break
            if s.out_of_budget(systematic):
                break
        if not exhaustive:
            length = max(s.lengths) if s.lengths else 50
            k = 0
            while not s.out_of_budget(o.max_executions):
                out = s.run(PCTScheduler(o.seed * 1_000_003 + k, depth=2 + k % 3,
                                         length=length))
                k += 1
                if out.failure is not None:
                    return failed(out)
        seconds = _real.perf_counter() - s.started
        if s.traced_steps == 0:
            s.notes.append(UNTRACED)
            warnings.warn(UNTRACED, stacklevel=2)
        if o.busy_wait and s.polled is not None:
            polled = s.polled
            polled.failure = busy_wait_failure(polled.rt)
            res = failed(polled)
            res.exhaustive = exhaustive
            return res
        if o.lock_order:
            cycle = s.lockorder.cycle()
            if cycle:
                f = analysis.lock_order_failure(cycle)
                return Result("lock-order", s.executions, exhaustive, seconds, failure=f,
                              notes=s.notes, redundant=s.redundant)
    return Result("ok", s.executions, exhaustive, seconds, notes=s.notes, redundant=s.redundant)


def _simplest(s: _Search, found: Outcome, bound: int | None, limit: int) -> Outcome:
    """A failing execution with as few preemptions as a bounded search finds within budget."""
    have = preemptions(found.rt)
    low = 0 if bound is None else bound + 1
    for b in range(low, have):
        if s.out_of_budget(limit + 200):
            break
        out, _ = s.dpor(b, s.executions + 200)
        if out is not None:
            return out
    return found


def replay(setup: Callable[[], Any] | None, threads: Threads, schedule: Iterable[str],
           invariant: Callable[[Any], Any] | None = None, *, options: Options | None = None,
           **kw: Any) -> Result:
    """Run one execution that follows ``schedule`` (thread names, one per step)."""
    sched = ReplayScheduler(list(schedule))
    res = run_once(setup, threads, invariant, scheduler=sched, options=options, **kw)
    if sched.diverged is not None:
        res.notes.append(f"the schedule no longer fits the program after step {sched.diverged}")
    return res


def run_once(setup: Callable[[], Any] | None, threads: Threads,
             invariant: Callable[[Any], Any] | None = None, *, scheduler: Any = None,
             options: Options | None = None, **kw: Any) -> Result:
    """One execution under ``scheduler`` (any object with ``choose(rt, enabled)``; the default
    runs each thread until it blocks or ends, without preemption)."""
    o = options or Options(**kw)
    started = _real.perf_counter()
    with Runner(setup, threads, invariant, o) as runner:
        out = runner.execute(scheduler if scheduler is not None else FirstScheduler())
    if out.failure is None and o.busy_wait:
        out.failure = busy_wait_failure(out.rt)
    res = Result(out.failure.kind if out.failure else "ok", 1, False,
                 _real.perf_counter() - started, failure=out.failure, trace=build_trace(out),
                 schedule=out.rt.schedule(), state=out.state)
    if out.failure is not None:
        schedule = res.schedule or []
        res._replay = lambda: replay(setup, threads, schedule, invariant, options=o)
    return res

seal(__name__)  # the code under test cannot rewrite the grader
