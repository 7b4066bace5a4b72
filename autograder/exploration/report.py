"""The student-readable account of a result."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from ..base._seal import seal
from ..base.trace import Event, Trace, describe, unwritten_reads

if TYPE_CHECKING:
    from .result import Result

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


#: A loop shown once with a count, when its steps repeat at least this many times in a row.
LOOP_REPEATS = 3
#: The longest loop body (in steps) that is looked for.
LOOP_BODY = 12
_UNDEFINED = re.compile(r"NameError: name '([A-Za-z_][A-Za-z0-9_]*)' is not defined")


def undefined_name(text: str) -> str | None:
    """The name a ``NameError`` in ``text`` says is not defined (a missing or misnamed class)."""
    m = _UNDEFINED.search(text)
    return m.group(1) if m else None


def _signature(e: Event) -> tuple:
    return (e.thread, e.op, e.obj, e.line, e.detail)


def loop_at(sigs: list, i: int) -> tuple[int, int]:
    """(body length, repeats) of the longest run of a repeated body that starts at sigs[i]
    (at least LOOP_REPEATS times in a row), or (0, 0)."""
    best = (0, 0)
    rest = len(sigs) - i
    for p in range(1, min(LOOP_BODY, rest // LOOP_REPEATS) + 1):
        body, k = sigs[i:i + p], 1
        while sigs[i + k * p:i + (k + 1) * p] == body:
            k += 1
        if k >= LOOP_REPEATS and k * p > best[0] * best[1]:
            best = (p, k)
    return best


def repeats_note(body: int, repeats: int, first: int) -> str:
    """What stands for a collapsed loop: which steps it hides."""
    what = "this step repeats" if body == 1 else f"these {body} steps repeat"
    return (f"... {what} {repeats - 1} more time(s), steps {first + body}-"
            f"{first + repeats * body - 1} (a loop)")


def student_table(trace: Trace, *, max_rows: int = 80) -> tuple[str, int]:
    """The interleaving as text, and its number of steps. Steps are numbered 1, 2, 3, ... in the
    order they happened; a loop that repeats (a spin) is shown once, with how many times it ran."""
    rows = [e for e in trace.events if e.op != "start"]
    width = max([len(t) for t in trace.threads] + [6])
    sigs = [_signature(e) for e in rows]
    lines = []
    i = 0
    while i < len(rows):
        p, k = loop_at(sigs, i)
        if p:
            for j in range(i, i + p):
                lines.append(_row(j + 1, rows[j], width))
            lines.append(f"{'':>4}  {'':<{width}}  {'':>4}  {repeats_note(p, k, i + 1)}")
            i += k * p
        else:
            lines.append(_row(i + 1, rows[i], width))
            i += 1
    if len(lines) > max_rows:
        half = max_rows // 2
        lines = lines[:half] + [f"{'...':>4}  ({len(lines) - max_rows} lines not shown)"] \
            + lines[-half:]
    head = f"{'step':>4}  {'thread':<{width}}  {'line':>4}  what happened"
    return "\n".join([head, *lines]), len(rows)


def _row(number: int, e: Event, width: int) -> str:
    return f"{number:>4}  {e.thread:<{width}}  {e.line if e.line else '':>4}  {describe(e)}"


def explain(result: Result) -> str:
    """Headline, what went wrong, the interleaving step by step, and how to replay it."""
    if result.ok:
        how = "every interleaving" if result.exhaustive else "the interleavings explored"
        return (f"OK: {how} passed ({result.executions} executions"
                f"{'' if result.exhaustive else ', search not exhaustive'}).")
    f = result.failure
    assert f is not None
    lines = [f"{HEADLINES.get(f.kind, 'Failure')}.", "", f.message]
    missing = undefined_name("\n".join([f.message, *f.details]))
    if missing:
        lines[:1] = [f"`{missing}` is not defined: define it in the answer cell above (is its "
                     f"name spelled `{missing}`?), and run that cell before the tests."]
    for d in f.details:
        if d and d not in f.message:
            lines.append(f"  {d}")
    trace = result.trace
    if trace is not None and trace.events and not missing:
        if f.kind != "spin":  # a spinning thread's reads are the point
            trace = relevant(trace)
        switches = sum(1 for a, b in itertools.pairwise(trace.events) if a.thread != b.thread)
        table, steps = student_table(trace, max_rows=80)
        lines += ["", f"The interleaving that shows it ({steps} steps, "
                  f"{switches} switches between threads):", table]
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
