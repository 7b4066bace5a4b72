"""The student-readable account of a result."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from ..base._seal import seal
from ..base.trace import CALL_VERBS, Event, Trace, unwritten_reads, what_happened

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


def loop_at(sigs: list, i: int, longest: int = LOOP_BODY) -> tuple[int, int]:
    """(body length, repeats) of the longest run of a repeated body that starts at sigs[i]
    (at least LOOP_REPEATS times in a row), or (0, 0)."""
    best = (0, 0)
    rest = len(sigs) - i
    for p in range(1, min(longest, rest // LOOP_REPEATS) + 1):
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


#: The most rows a failing test's step table shows; a longer run is folded, with the count.
MAX_ROWS = 40
#: The widest line a table prints: longer source text is cut (with "...") at a word, so that no
#: line wraps in the middle of a word in a notebook's error output.
LINE_CHARS = 100
#: Where the engine's own models of library objects live (``compile_traced`` names their code
#: ``<... (autograder...)>``): their steps are shown as the call the student made.
_MODEL_MARK = "(autograder."


#: A model's steps the student sees, by function and a piece of the source line; the model's
#: other steps (its own bookkeeping) are not shown.
_MODEL_STEPS = (
    ("write", "self.pending =", "write", "file.write() adds the text to the file's buffer"),
    ("flush", "self.pending =", "write", "file.flush() takes the text out of the buffer"),
    ("flush", "_real.write(", "write", "file.flush() hands the text to the operating system"),
    ("close", "_real.close(", "write", "file.close() closes the file"),
)


def _model_step(e: Event) -> Event | None:
    """A step inside a model of a library object (the shared text file), as the student's call
    reads it; None for the model's own bookkeeping; the event itself for the student's code."""
    if _MODEL_MARK not in (e.filename or ""):
        return e
    if e.op in ("raise", "error", "block", "acquire", "release", "wait", "wake"):
        return replace(e, source="")
    for function, piece, op, said in _MODEL_STEPS:
        if e.function == function and e.op == op and piece in (e.source or ""):
            return replace(e, op="note", obj=None, detail=said, source="", value=None)
    return None


def student_events(trace: Trace) -> list[Event]:
    """The steps a table numbers: no thread starts; a step inside a library model named as what
    the student's call did (its bookkeeping left out); the read that only looks up the object
    a method is then called on left out (the call is the step the student sees)."""
    shown = [m for m in (_model_step(e) for e in trace.events if e.op != "start")
             if m is not None]
    out = []
    for i, e in enumerate(shown):
        nxt = shown[i + 1] if i + 1 < len(shown) else None
        if (e.op == "read" and e.value is None and nxt is not None and nxt.op == "write"
                and nxt.thread == e.thread and nxt.obj == e.obj and nxt.line == e.line
                and _is_call(nxt)):
            continue
        out.append(e)
    return out


def shown_trace(result: Result) -> Trace | None:
    """The failing run as its step table shows it (reads of state no thread writes left out,
    unless a thread spins), or None when there is no run to show."""
    trace = result.trace
    if trace is None or not trace.events:
        return None
    f = result.failure
    return trace if f is not None and f.kind == "spin" else relevant(trace)


def numbered(trace: Trace) -> Trace:
    """The trace with the step numbers of its step table (1, 2, 3, ... over the rows the table
    numbers), for a picture drawn beside the table; a thread's start shares the number of its
    first row, a library model's step is a write of "the file"."""
    rows = student_events(trace)
    number = {id(e): i + 1 for i, e in enumerate(rows)}
    out: list[Event] = []
    for e in trace.events:
        if e.op == "start":
            later = next((number[id(x)] for x in rows if x.thread == e.thread), None)
            out.append(replace(e, step=(later or 1) - 1))
    for e in rows:
        shown = replace(e, op="write", obj="the file") if e.op == "note" else e
        out.append(replace(shown, step=number[id(e)]))
    out.sort(key=lambda e: (e.step, e.op != "start"))
    return replace(trace, events=out)


def _is_call(e: Event) -> bool:
    return what_happened(e).startswith(("calls ",) + tuple(v + " " for v in CALL_VERBS.values()))


def _what(e: Event) -> str:
    return e.detail if e.op == "note" else what_happened(e)


def student_table(trace: Trace, *, max_rows: int = MAX_ROWS,
                  loop_body: int = LOOP_BODY) -> tuple[str, int]:
    """The interleaving as text, and its number of steps. Steps are numbered 1, 2, 3, ... in the
    order they happened; a loop that repeats (a spin) is shown once, with how many times it ran;
    more than ``max_rows`` rows are folded in the middle, saying how many. The columns line up:
    step, thread, line, what happened (with the value read or written), then the source line."""
    rows = student_events(trace)
    width = max([len(t) for t in trace.threads] + [6])
    sigs = [_signature(e) for e in rows]
    entries: list[tuple[str, str, str]] = []  # (left columns, what happened, source)
    i = 0
    while i < len(rows):
        p, k = loop_at(sigs, i, loop_body)
        if p:
            for j in range(i, i + p):
                entries.append(_cells(j + 1, rows[j], width))
            entries.append((f"{'':>4}  {'':<{width}}  {'':>4}", repeats_note(p, k, i + 1), ""))
            i += k * p
        else:
            entries.append(_cells(i + 1, rows[i], width))
            i += 1
    if len(entries) > max_rows:
        half = max_rows // 2
        hidden = len(entries) - 2 * half + 1
        entries = entries[:half] + [(f"{'...':>4}", f"({hidden} more rows not shown)", "")] \
            + entries[-(half - 1):]
    what_width = min(max([len(w) for _, w, src in entries if src] + [13]), 48)
    lines = [f"{'step':>4}  {'thread':<{width}}  {'line':>4}  what happened"]
    for left, what, src in entries:
        what = _cut(what, what_width if src else LINE_CHARS - len(left) - 2)
        if not src:
            lines.append(f"{left}  {what}".rstrip())
            continue
        text = f"{left}  {what:<{what_width}}  | "
        lines.append(text + _cut(src, max(LINE_CHARS - len(text), 20)))
    return "\n".join(lines), len(rows)


def _cut(text: str, room: int) -> str:
    """``text`` in at most ``room`` characters, cut at a space (with "...")."""
    if len(text) <= room:
        return text
    head = text[:room - 3]
    if " " in head[room // 2:]:
        head = head[:head.rindex(" ")]
    return head.rstrip() + "..."


def _cells(number: int, e: Event, width: int) -> tuple[str, str, str]:
    return (f"{number:>4}  {e.thread:<{width}}  {e.line if e.line else '':>4}", _what(e),
            e.source or "")


def _row(number: int, e: Event, width: int) -> str:
    left, what, src = _cells(number, e, width)
    return f"{left}  {what}" + (f"  | {src}" if src else "")


def lost_update(events: list[Event]) -> tuple[str, str, str] | None:
    """``(variable, overwriting thread, overwritten thread)`` when a thread read a variable,
    another thread wrote it, then the first wrote it back from what it had read: the other
    thread's update is lost. None when the trace shows no such pattern."""
    for k, w in enumerate(events):
        if w.op != "write" or w.obj in (None, "an object"):
            continue
        reads = [i for i in range(k) if events[i].op == "read" and events[i].thread == w.thread
                 and events[i].obj == w.obj]
        if not reads:
            continue
        for between in events[reads[-1] + 1:k]:
            if between.op == "write" and between.obj == w.obj and between.thread != w.thread:
                name = "the file's buffer" if _MODEL_MARK in (w.filename or "") else w.obj
                return name, w.thread, between.thread
    return None


#: The mistake a failure's kind names, first in the summary line a failing test starts with.
MISTAKES = {
    "invariant": "Wrong result",
    "exception": "Exception",
    "deadlock": "Deadlock",
    "lock-order": "Deadlock risk",
    "spin": "Spinning",
    "blocked": "Stuck",
    "bad-release": "Misused lock",
    "tampering": "Tampering",
    "setup": "Setup failed",
}


def summary(result: Result) -> str:
    """One line that names the mistake: ``Deadlock: the threads deadlocked.``, ``Lost update:
    T1 read s.count, T2 wrote it, ...``, ``Spinning: a thread spins (busy-waits) ...``; the
    first line of a failing test's message (what exactly failed is the paragraph after it)."""
    f = result.failure
    if f is None:
        return "OK"
    if f.kind == "invariant" and result.trace is not None:
        lost = lost_update(relevant(result.trace).events)
        if lost:
            obj, a, b = lost
            return (f"Lost update: {a} read {obj}, {b} wrote it, then {a} wrote it back from "
                    f"what it had read, so {b}'s update is lost (a check of the shared state "
                    "failed).")
    head = MISTAKES.get(f.kind, "Failure")
    if f.kind == "invariant" and "starv" in f.message.lower():
        head = "Starvation"
    said = HEADLINES.get(f.kind, "The run failed")
    if f.kind == "exception" and f.thread:
        said = f"{f.thread} raised {f.message.split(':', 1)[0].split()[-1]}" \
            if " raised " in f.message.split("\n", 1)[0] else f"{f.thread} raised an exception"
    return f"{head}: {said[0].lower()}{said[1:]}."


def _internal(text: str) -> bool:
    """A line that names the machinery, not the student's code (a kernel's file name)."""
    return any(mark in text for mark in ("ipykernel_", "site-packages", "/autograder/",
                                         "<frozen "))


def explain(result: Result) -> str:
    """Summary line naming the mistake, what went wrong, the interleaving step by step (at most
    ``MAX_ROWS`` rows), and how to replay it."""
    if result.ok:
        how = "every interleaving" if result.exhaustive else "the interleavings explored"
        return (f"OK: {how} passed ({result.executions} executions"
                f"{'' if result.exhaustive else ', search not exhaustive'}).")
    f = result.failure
    assert f is not None
    lines = [summary(result), "", f.message]
    missing = undefined_name("\n".join([f.message, *f.details]))
    if missing:
        lines[:1] = [f"`{missing}` is not defined: define it in the answer cell above (is its "
                     f"name spelled `{missing}`?), and run that cell before the tests."]
    for d in f.details:
        if d and d not in f.message and not _internal(d):
            lines.append(f"  {d}")
    trace = shown_trace(result)
    if trace is not None and not missing:
        shown = student_events(trace)
        switches = sum(1 for a, b in itertools.pairwise(shown) if a.thread != b.thread)
        table, steps = student_table(trace)
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
