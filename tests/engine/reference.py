"""Independent references for the engine's search: every schedule, enumerated by brute force.

:func:`all_schedules` runs a program under *every* schedule the runtime allows (a depth-first
walk over the enabled threads at each step, no reduction at all) and collects the outcomes;
:func:`dpor_outcomes` collects the outcomes of the executions the DPOR explorer chooses, without
stopping at the first failure. The search is sound when the second set contains the first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from autograder.exploration.dpor import Explorer
from autograder.exploration.options import Options
from autograder.exploration.runner import Outcome, Runner
from autograder.exploration.schedulers import FirstScheduler, TreeScheduler, next_branch
from autograder.runtime import tracing

Observe = Callable[[Any], Hashable]


def signature(out: Outcome, observe: Observe | None) -> tuple[Any, ...]:
    """What an execution ended with: its verdict and what ``observe`` saw of the final state
    (a failure stops the execution where it happened, so then only the failure counts)."""
    f = out.failure
    kind = f.kind if f is not None else (out.rt.outcome or "ok")
    detail = ""
    if f is not None and f.kind in ("exception", "bad-release"):
        detail = f.message.split(":", 1)[0]
        who, _, what = detail.partition(" raised ")
        if what and not re.fullmatch(r"T\d+", who):  # a thread a thread started
            detail = f"child raised {what}"
    seen: Any = None
    if f is None and observe is not None and out.state is not None:
        try:
            seen = observe(out.state)
        except Exception as e:  # noqa: BLE001 - a partial state may not be observable
            seen = f"observe raised {type(e).__name__}"
    return (kind, detail, seen)


@dataclass
class Outcomes:
    """The outcomes an exploration reached, and how many executions it took."""

    seen: dict[tuple[Any, ...], list[str]] = field(default_factory=dict)
    #: The Mazurkiewicz traces of the complete executions (see :func:`trace_class`).
    traces: set[frozenset[Any]] = field(default_factory=set)
    executions: int = 0
    pruned: int = 0
    complete: bool = True
    #: the execution whose replay diverged from the schedule it was given (0: none did)
    diverged: int = 0

    def add(self, out: Outcome, observe: Observe | None) -> None:
        self.executions += 1
        if out.rt.outcome == "pruned":
            self.pruned += 1
            return
        self.seen.setdefault(signature(out, observe), out.rt.schedule())
        if out.failure is None:
            self.traces.add(trace_class(out))


def _options(**kw: Any) -> Options:
    return Options(**{"watchdog": 2.0, "spin_limit": 200, "max_steps": 400, **kw})


def _warm(runner: Runner) -> None:
    if tracing.USE_MONITORING:  # the first run of fresh code can miss instruction events
        runner.execute(FirstScheduler())


def all_schedules(setup: Callable[[], Any] | None, threads: Any, observe: Observe | None = None,
                  *, limit: int = 20000) -> Outcomes:
    """Every schedule of the program (up to ``limit`` executions)."""
    res = Outcomes()
    with Runner(setup, threads, None, _options()) as runner:
        _warm(runner)
        prefix: list[int] | None = []
        while prefix is not None:
            sched = TreeScheduler(prefix)
            res.add(runner.execute(sched), observe)
            prefix = next_branch(sched.taken)
            if prefix is not None and res.executions >= limit:
                res.complete = False
                break
        return res


def dpor_outcomes(setup: Callable[[], Any] | None, threads: Any, observe: Observe | None = None,
                  *, limit: int = 20000, check_every_step: bool = False,
                  strict: bool = True) -> Outcomes:
    """The outcomes of every execution the DPOR explorer runs (it does not stop at failures).
    A replay that diverges raises, or with ``strict=False`` ends the search incomplete."""
    res = Outcomes()
    explorer = Explorer(None, observe_all=check_every_step)
    with Runner(setup, threads, None, _options()) as runner:
        _warm(runner)
        while True:
            out = runner.execute(explorer.scheduler())
            if out.diverged:
                if strict:
                    raise AssertionError("a DPOR replay diverged: the program is not deterministic")
                res.diverged = res.executions + 1
                res.complete = False
                return res
            explorer.record(out.rt)
            res.add(out, observe)
            if not explorer.advance():
                return res
            if res.executions >= limit:
                res.complete = False
                return res


def trace_class(out: Outcome) -> frozenset[Any]:
    """The Mazurkiewicz trace of an execution: its steps, named (thread, n-th step of it), and
    the order of every pair of dependent steps of different threads. Two executions are the
    same trace exactly when these are equal. Dependence is the engine's own relation (plus: a
    step that ran at a jump of the virtual clock depends on every step)."""
    from autograder.exploration.dpor import clocked
    from autograder.runtime.ops import dependent

    recs = out.rt.records
    count: dict[int, int] = {}
    names = []
    for r in recs:
        count[r.tid] = count.get(r.tid, 0) + 1
        names.append((r.tid, count[r.tid]))
    pairs = set()
    for j, b in enumerate(recs):
        for i in range(j):
            a = recs[i]
            if a.tid != b.tid and (clocked(a.op, a.now) or clocked(b.op, b.now)
                                   or dependent(a.op, b.op)):
                pairs.add((names[i], names[j]))
    return frozenset([*names, *pairs])
