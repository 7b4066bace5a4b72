"""The test-facing API: ``explore`` every interleaving that matters, ``replay`` one schedule."""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Callable, Iterable
from typing import Any

from ..base import _real
from ..base._seal import Sealed, seal
from ..runtime import tracing
from ..runtime.execution import Execution
from ..runtime.ops import StartOp
from ..runtime.scheduler import Scheduler
from . import analysis
from .dpor import Explorer
from .options import Options
from .result import Result
from .runner import Outcome, Runner, Threads, build_trace, busy_wait_failure
from .schedulers import FirstScheduler, PCTScheduler, ReplayScheduler

UNTRACED = ("no step of the threads touched shared state the engine can see: if the code under "
             "test is in a file it does not trace (the standard library, site-packages, this "
             "project's packages, code compiled from a string), nothing was tested")


COARSE = ("the engine could not read the objects some steps work on from this interpreter's "
          "frames (an interpreter build it does not know): those steps were keyed coarsely, and "
          "the search is not claimed exhaustive")

TIME_NOTE = ("the time budget ended the search before the execution budget did: on a faster "
             "or slower machine it could have explored a different number of executions")

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
        return self.executions >= limit or self.out_of_time()

    def out_of_time(self) -> bool:
        if _real.perf_counter() - self.started > self.o.time_budget:
            if TIME_NOTE not in self.notes:
                self.notes.append(TIME_NOTE)
            return True
        return False

    def run(self, scheduler: Scheduler) -> Outcome:
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
            if out.failure is not None and not out.diverged:
                return out, False  # recording it (quadratic in its length) would be wasted
            if out.diverged:
                self.notes.append("a replay diverged: the code under test is not "
                                  "deterministic (it depends on more than the schedule)")
            elif self.out_of_time():
                return None, False  # the budget is spent: no next execution to plan
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

        coarse_before = tracing.coarse_points
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
        if tracing.coarse_points > coarse_before:
            exhaustive = False
            s.notes.append(COARSE)
            warnings.warn(COARSE, stacklevel=2)
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
             invariant: Callable[[Any], Any] | None = None, *, scheduler: Scheduler | None = None,
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
