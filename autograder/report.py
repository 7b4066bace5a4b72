"""The student-readable account of a result."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from ._seal import seal
from .trace import Trace, unwritten_reads

if TYPE_CHECKING:
    from .search import Result

HEADLINES = {
    "invariant": "A check of the shared state failed",
    "exception": "A thread raised an exception",
    "deadlock": "The threads deadlocked",
    "lock-order": "Locks are taken in inconsistent orders (a deadlock waiting to happen)",
    "spin": "A thread spins (busy-waits) or loops forever",
    "blocked": "A thread blocked on something the grader does not control",
    "bad-release": "A lock or semaphore was misused (released without being held, released "
                   "too many times, or waited on without its lock)",
    "tampering": "The code under test tampered with threading or the grader",
    "setup": "Setting up the test failed",
}


def relevant(trace: Trace) -> Trace:
    """The trace without reads of state no thread writes (they cannot change the outcome)."""
    skip = unwritten_reads(trace.events)
    return replace(trace, events=[e for i, e in enumerate(trace.events) if i not in skip])


def explain(result: Result) -> str:
    """Headline, what went wrong, the interleaving step by step, and how to replay it."""
    if result.ok:
        how = "every interleaving" if result.exhaustive else "the interleavings explored"
        return (f"OK: {how} passed ({result.executions} executions"
                f"{'' if result.exhaustive else ', search not exhaustive'}).")
    f = result.failure
    assert f is not None
    lines = [f"{HEADLINES.get(f.kind, 'Failure')}.", "", f.message]
    for d in f.details:
        if d and d not in f.message:
            lines.append(f"  {d}")
    trace = result.trace
    if trace is not None and trace.events:
        if f.kind != "spin":  # a spinning thread's reads are the point
            trace = relevant(trace)
        switches = sum(1 for a, b in itertools.pairwise(trace.events) if a.thread != b.thread)
        lines += ["", f"The interleaving that shows it ({len(result.schedule or [])} steps, "
                  f"{switches} switches between threads):", trace.format_table(max_rows=80)]
    if result.schedule:
        lines += ["", f"Found after exploring {result.executions} execution(s); the same "
                  "schedule replays it exactly, on every run."]
    else:
        lines += ["", f"Found after exploring {result.executions} execution(s)."]
    return "\n".join(lines)

#: Called with a failing result just before ``Result.assert_ok`` raises; ``course`` adds one that
#: shows the interleaving's timeline picture in the notebook (and so in nbgrader's feedback).
_failure_callbacks: list[Callable[[Result], object]] = []


def on_failure(callback: Callable[[Result], object]) -> None:
    """Call `callback(result)` before ``assert_ok`` raises for a failing result (once, however
    often it is registered)."""
    if callback not in _failure_callbacks:
        _failure_callbacks.append(callback)


def failed(result: Result) -> None:
    """Run the failure callbacks; one that raises is skipped (the assertion still fails)."""
    for callback in list(_failure_callbacks):
        try:
            callback(result)
        except Exception:  # a picture is a bonus: never let it hide the failure
            pass


seal(__name__)  # the code under test cannot rewrite the grader
