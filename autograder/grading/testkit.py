"""What the lessons' test cells share, so that each test cell stays short (issue 10).

Validate prints a failing test cell's source: the student must find the reason in it without
scrolling through helper code. The code under test (the answer, the threads a test runs) stays in
the cells, where the engine traces it; this module holds only what checks it, which the engine
does not trace (it is part of the grader). Pure standard library and the engine: it is imported in
the student's kernel, where the tamper guard seals it like the rest of the grader
(`autograder.grading.sandbox.guard`).
"""

from __future__ import annotations

import builtins
import contextlib
import io
import linecache
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..base._seal import seal
from ..exploration import report
from ..runtime.points import compile_traced

__all__ = ["assert_all_finish", "assert_ok", "complete_lines", "dead_end", "expect_cycle",
           "expect_none", "expect_raises", "read_text", "returns", "rotations", "round_robin",
           "session_steps",
           "shared_text_files", "temporary_folder"]


def assert_ok(result: Any, what: str) -> Any:
    """``result`` (of ``explore``, ``run_once`` or ``replay``) when it passed; otherwise
    AssertionError: ``what`` (the scenario in words, and what usually breaks it), then the
    engine's report (the failing interleaving, step by step)."""
    if not result.ok:
        report.failed(result)  # the interleaving's picture, above the message
        first, _, rest = result.message.partition("\n")
        raise AssertionError(f"{first}\n{what}\n{rest}")
    return result


def returns(call: Callable[[], Any], shown: str, endless: str = "") -> Any:
    """``call()``, run in a thread the engine watches: an endless loop or endless recursion is
    stopped and reported instead of hanging the notebook. ``shown`` is the call as the student
    reads it (``find_deadlock(holds={...}, waits={...})``); ``endless`` says what usually makes
    it run on. Returns what ``call()`` returned, or raises AssertionError saying what went wrong.
    """
    from autograder import run_once

    box: dict[str, Any] = {}
    name = shown.split("(", 1)[0] or "call"
    outcome = run_once(None, {name: lambda: box.update(result=call())}, watchdog=0.5,
                       spin_limit=20_000)
    if outcome.verdict == "spin" or "RecursionError" in outcome.message:
        raise AssertionError(f"{shown} never returned: it went on and on (an endless loop, or "
                             f"endless recursion?). {endless}".rstrip())
    if not outcome.ok:
        raise AssertionError(f"{shown} did not return a result.\n\n"
                             + outcome.message.split("\n\nThe interleaving")[0])
    return box["result"]


def rotations(cycle: list) -> list[list]:
    """Every rotation of a cycle: ``[a, b, c]``, ``[b, c, a]``, ``[c, a, b]``."""
    return [cycle[i:] + cycle[:i] for i in range(len(cycle))]


def expect_cycle(got: Any, cycle: list, shown: str, note: str = "",
                 what: str = "the cycle") -> None:
    """AssertionError unless ``got`` is the list ``cycle`` in some rotation. ``shown`` is the
    call that returned ``got``; ``note`` says in words why that is the cycle."""
    if isinstance(got, list) and got in rotations(cycle):
        return
    because = f": {note}" if note else ""
    raise AssertionError(f"{shown} returned {got!r}, but {what} is {cycle!r} (any of "
                         f"{rotations(cycle)!r} is right){because}")


def expect_none(got: Any, shown: str, note: str = "") -> None:
    """AssertionError unless ``got`` is None (no cycle; not ``[]``)."""
    if got is None:
        return
    because = f" ({note})" if note else ""
    raise AssertionError(f"{shown} returned {got!r}, but there is no cycle{because}: it should "
                         "return None")


def expect_raises(error: type[BaseException], call: Callable[[], Any], what: str) -> None:
    """AssertionError unless ``call()`` raises ``error``; ``what`` names the call."""
    try:
        call()
    except error:
        return
    raise AssertionError(f"{what} must raise {error.__name__}")


def complete_lines(text: str) -> list[str]:
    """The whole lines of ``text``: the part after the last newline is not a line yet."""
    return text.split("\n")[:-1]


@contextlib.contextmanager
def temporary_folder(prefix: str) -> Iterator[str]:
    """A fresh folder for a test's files, removed afterwards."""
    folder = tempfile.mkdtemp(prefix=prefix)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# A text file opened for writing, modelled as the io documentation allows it to behave when
# threads share it (it is not thread-safe): write() adds to its pending text, flush() hands that
# text to the operating system, each in several steps that another thread can come between.
# The engine explores only code it traces, which the grader's own modules are not: the model is
# compiled with ``compile_traced``, so that its steps are explored and shown, line by line, in a
# failing interleaving. Reading a file back (``read_text``) must be
# explored too: a check that reads the file is a step that another thread's write can precede.
_TEXT_FILE_CODE_NAME = "the shared text file model (autograder.grading.testkit)"
_TEXT_FILE = """\
class TextFile:
    def __init__(self, real, line_buffering):
        self._real, self._line_buffering, self.pending = real, line_buffering, ""

    def write(self, text):
        if self._real.closed:
            raise ValueError("I/O operation on closed file.")
        pending = self.pending
        self.pending = pending + text
        if self._line_buffering and "\\n" in text:
            self.flush()
        return len(text)

    def flush(self):
        if self._real.closed:
            raise ValueError("I/O operation on closed file.")
        data, self.pending = self.pending, ""
        self._real.write(data)
        self._real.flush()

    def close(self):
        if not self._real.closed:
            self.flush()
            self._real.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __getattr__(self, name):  # closed, name, encoding, fileno, ...: the real file's
        return getattr(self._real, name)


def read_text(path):
    if not os.path.exists(path):
        return ""
    with open(path) as f:
        return f.read()
"""
_TEXT_FILE_CODE = compile_traced(_TEXT_FILE, _TEXT_FILE_CODE_NAME)
linecache.cache[_TEXT_FILE_CODE.co_filename] = (
    len(_TEXT_FILE), None, _TEXT_FILE.splitlines(True), _TEXT_FILE_CODE.co_filename)
_model: dict[str, Any] = {"__name__": __name__, "os": os}
exec(_TEXT_FILE_CODE, _model)
TextFile = _model["TextFile"]
read_text = _model["read_text"]
read_text.__doc__ = """The text of the file at ``path`` ("" when there is no such file). The engine
    explores it as a cell's code: reading the file is a step, which a write can come before."""


@contextlib.contextmanager
def shared_text_files(namespace: dict, prefix: str = "shared_files_") -> Iterator[str]:
    """While the block runs, ``open`` (the built-in, ``io.open`` and the notebook's own, in
    ``namespace``) returns a text file opened for writing as the model ``TextFile``: a file
    whose ``write`` and ``flush`` other threads can come between, as the io docs allow. Gives
    a fresh folder for the block's files (removed afterwards)."""
    real_open = builtins.open
    notebook_open = namespace.get("open", real_open)  # IPython puts its own open in a notebook

    def text_file_open(file, mode="r", buffering=-1, *args, **kwargs):
        real = real_open(file, mode, buffering, *args, **kwargs)
        writing = any(m in mode for m in "wax+") and "b" not in mode
        return TextFile(real, buffering == 1) if writing else real

    builtins.open = io.open = namespace["open"] = text_file_open
    try:
        with temporary_folder(prefix) as folder:
            yield folder
    finally:
        builtins.open = io.open = real_open
        namespace["open"] = notebook_open


class Stalled:
    """What :func:`round_robin` reports when the threads did not finish within its limit: its
    ``message`` names the mistake (they spin, or retry for ever) and shows the last steps."""

    def __init__(self, trace: Any, limit: int) -> None:
        from dataclasses import replace

        loop = trace.events[-min(len(trace.events), 150):]
        running = sorted({e.thread for e in loop})
        table, _ = report.student_table(replace(trace, events=loop), loop_body=40)
        self.kind = "spin"
        self.message = (
            f"Spinning (a livelock): after {limit} steps taken in turn, {', '.join(running)} "
            "were still running: they keep trying again (a loop that retries at once, or "
            "busy-waits) instead of blocking until they can go on, so they may never finish. "
            f"Their last {len(loop)} steps, repeating:\n{table}")


def round_robin(setup: Callable[[], Any], threads: dict[str, Callable],
                limit: int = 5000) -> tuple[bool, str, Any]:
    """Run ``threads`` on the engine's manual scheduler, each taking one step in turn (skipping
    the blocked ones): what happens when they all start at once. Returns ``(done, outcome,
    failure)`` of the run (``outcome`` "ok", "deadlock", ...; ``failure`` None, the report, or
    a :class:`Stalled` when they were still running after ``limit`` steps)."""
    from autograder import ManualSession

    names = list(threads)
    session = ManualSession(setup, threads)
    try:
        turn = 0
        for _ in range(limit):
            runnable = session.runnable()
            if session.done or not runnable:
                break
            name = next(names[(turn + k) % len(names)] for k in range(len(names))
                        if names[(turn + k) % len(names)] in runnable)
            turn = names.index(name) + 1
            session.step(name)
        if not session.done and session.runnable():
            return False, "spin", Stalled(session.trace, limit)
        return session.done, session.outcome, session.failure
    finally:
        session.close()


def assert_all_finish(setup: Callable[[], Any], threads: dict[str, Callable], what: str,
                      limit: int = 5000) -> None:
    """AssertionError unless ``threads``, taking one step each in turn (:func:`round_robin`),
    all finish normally: first a line naming the mistake (a deadlock, a livelock, ...), then
    ``what`` (the scenario in words), then what happened."""
    done, outcome, failure = round_robin(setup, threads, limit)
    if done and outcome == "ok":
        return
    if failure is None:
        first, rest = f"Stuck: the threads did not all finish ({outcome}).", ""
    elif isinstance(failure, Stalled):
        first, _, rest = failure.message.partition("\n")
        first, rest = first.split(". Their last", 1)[0] + ".", \
            "Their last" + first.split(". Their last", 1)[1] + "\n" + rest
    else:
        head = report.MISTAKES.get(failure.kind, "Failure")
        first, rest = f"{head}: {report.HEADLINES.get(failure.kind, '')}", failure.message
    raise AssertionError(f"{first}\n{what}\n\n{rest}".rstrip())


def _where(session: Any, name: str, text: str) -> str:
    if text == "finished":
        return f"{name} has finished"
    if text == "not started" or not text.strip():
        return f"{name} has not started"
    if name not in session.runnable():
        return f"{name} is blocked at `{text.strip()}`"
    return f"{name} is at `{text.strip()}`"


def _cannot_move(session: Any, name: str) -> str:
    if session.done:
        return "the run was already over"
    return _where(session, name, session.positions().get(name, (None, ""))[1])


def _what_happened(session: Any, show: Callable[[Any], str]) -> str:
    held = ", ".join(f"{lock} held by {holder}" for lock, holder in session.holders().items())
    state = show(session.state) + (f"; {held}" if held else "")
    if session.done:
        failure = session.failure
        if failure is None:
            return f"every thread finished normally ({state})"
        return f"the run ended: {failure.message.split(chr(10))[0]} ({state})"
    where = "; ".join(_where(session, name, text)
                      for name, (line, text) in session.positions().items())
    return f"the threads are still running ({where}; {state})"


# -- dead ends: can any continuation of a schedule still reach the goal? -----------------------
#: The most states one search visits, and the most seconds of CPU (this process's, all its threads:
#: a busy machine slows the search down but does not cut it short) a schedule's searches take
#: together, before they give up (and claim nothing).
SEARCH_STATES = 20000
SEARCH_SECONDS = 5.0
#: The longest continuation searched (steps after the prefix).
SEARCH_DEPTH = 200


def _shape(value: Any, depth: int = 0) -> Any:
    """The shared state as comparable data: a primitive by its type (who holds it is in the
    session's holders), containers and plain objects by their contents."""
    module = type(value).__module__ or ""
    if module.startswith(("autograder", "threading", "_thread")):
        return type(value).__name__
    if depth > 4:
        return repr(value)[:80]
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(_shape(v, depth + 1) for v in value))
    if isinstance(value, (set, frozenset)):
        return ("set", tuple(sorted(repr(_shape(v, depth + 1)) for v in value)))
    if isinstance(value, dict):
        return ("dict", tuple((repr(k), _shape(v, depth + 1)) for k, v in value.items()))
    attrs = getattr(value, "__dict__", None)
    if isinstance(attrs, dict):
        return (type(value).__name__, _shape(attrs, depth + 1))
    return repr(value)


def _state_key(session: Any) -> tuple:
    """Where the run is, as data: each thread's line, its last step and how many steps other
    than reads it has taken (what it did, not what it looked at: a spinning thread's state does
    not grow), the shared state, the holders, whether the run is over."""
    writes: dict[str, int] = {}
    last: dict[str, tuple] = {}
    for e in session.trace.events:
        last[e.thread] = (e.op, e.obj, e.line)
        if e.op not in ("read", "start"):
            writes[e.thread] = writes.get(e.thread, 0) + 1
    return (tuple(sorted(session.positions().items())), tuple(sorted(writes.items())),
            tuple(sorted(last.items())),
            repr(_shape(session.state)), tuple(sorted(session.holders().items())),
            session.done, session.outcome, tuple(session.runnable()))


class _Continuations:
    """Searches, from the state a schedule's prefix reaches, every continuation for one that
    reaches the goal: the engine replays each candidate step by step on a manual session. States
    seen before are not searched again (the same lines, shared state, holders and steps taken
    but reads), so a spinning thread's loop ends the search of its branch."""

    def __init__(self, setup: Callable[[], Any], threads: dict[str, Callable],
                 reached: Callable[[Any], bool]) -> None:
        from autograder import ManualSession

        self.session = ManualSession(setup, threads)
        self.reached = reached
        self.dead: set[tuple] = set()  # states from which no continuation reaches the goal
        self.at: list[str] | None = None  # the schedule the session has played
        import time

        self.deadline = time.process_time() + SEARCH_SECONDS

    def _goto(self, schedule: list[str]) -> bool:
        """Bring the session to the state after ``schedule``: one more step when it is one step
        on from where the session is (the search goes depth-first), else a replay."""
        at = self.at
        self.at = None
        if at is not None and len(schedule) == len(at) + 1 and schedule[:-1] == at:
            if schedule[-1] not in self.session.runnable():
                return False
            self.session.step(schedule[-1])
            self.at = schedule
            return True
        self.session.reset()
        for name in schedule:
            if name not in self.session.runnable():
                return False
            self.session.step(name)
        self.at = list(schedule)
        return True

    def _reached(self) -> bool:
        try:
            return bool(self.reached(self.session))
        except Exception:  # noqa: BLE001 - a goal that cannot be checked yet is not reached
            return False

    def can_reach(self, prefix: list[str]) -> bool | None:
        """True when some continuation of ``prefix`` reaches the goal, False when none does
        (every reachable state was searched), None when the search ran out of its budget."""
        import time

        if not self._goto(prefix):
            return False
        seen: set[tuple] = set()
        todo = [list(prefix)]
        while todo:
            if len(seen) > SEARCH_STATES or time.process_time() > self.deadline:
                return None
            schedule = todo.pop()
            if schedule is not prefix and not self._goto(schedule):
                continue
            if self._reached():
                return True
            key = _state_key(self.session)
            if key in seen or key in self.dead or self.session.done:
                seen.add(key)
                continue
            seen.add(key)
            if len(schedule) - len(prefix) < SEARCH_DEPTH:
                todo += [[*schedule, name] for name in reversed(self.session.runnable())]
        self.dead |= seen
        return False

    def close(self) -> None:
        self.session.close()


def dead_end(schedule: list[str], setup: Callable[[], Any], threads: dict[str, Callable],
             reached: Callable[[Any], bool]) -> str | None:
    """When no continuation of ``schedule`` can reach the goal any more, a sentence saying so
    and naming the last step after which one still could; "" when one can; None when the
    search ran out of its budget (nothing is claimed)."""
    search = _Continuations(setup, threads, reached)
    try:
        first = search.can_reach(list(schedule))
        if first is not False:
            return None if first is None else ""
        for k in range(len(schedule) - 1, -1, -1):
            found = search.can_reach(list(schedule[:k]))
            if found is None:
                return None
            if found:
                where = (f"step {k} ({schedule[k - 1]})" if k else "the start")
                return (f"No continuation of these {len(schedule)} steps reaches the goal: the "
                        f"last step after which it still could is step {k}. Keep steps 1 to "
                        f"{k} and change step {k + 1} ({schedule[k]}): after {where}, "
                        f"another thread must move.") if k else (
                        "No continuation of these steps reaches the goal, not even from the "
                        f"start: the very first step ({schedule[0]}) must be another thread's.")
        return None
    finally:
        search.close()


def _next_move(prefix: list[str], setup: Callable[[], Any], threads: dict[str, Callable],
               reached: Callable[[Any], bool]) -> str:
    """What to do with a schedule that has not reached the goal: where it went into a dead end
    (the engine searched every continuation), or that adding steps can still get there."""
    said = dead_end(prefix, setup, threads, reached) if prefix else ""
    if said is None:
        return "The goal is not reached yet."
    return said or "Some continuation of these steps still reaches the goal: add the steps " \
        "that get there."


def session_steps(schedule: Iterable[str], setup: Callable[[], Any],
                  threads: dict[str, Callable], reached: Callable[[Any], bool], goal: str,
                  show: Callable[[Any], str], limit: int = 300) -> int:
    """Play ``schedule`` (a list of thread names) one step at a time on the engine's manual
    scheduler, from ``setup()`` with ``threads``, until ``reached(session)``: the number of steps
    the run took, or AssertionError saying in words where the schedule went instead (which thread
    could not move, and why; where every thread is; ``show(state)``; the locks held)."""
    from autograder import ManualSession, run_once

    if type(schedule) not in (list, tuple) or not all(type(n) is str for n in schedule):
        raise AssertionError("a schedule is a list of thread names (strings), such as "
                             f"{list(threads)!r}, not {schedule!r:.300}")
    unknown = sorted(set(schedule) - set(threads))
    if unknown:
        raise AssertionError(f"the schedule names {unknown}, but the threads are "
                             f"{list(threads)}")
    if not schedule:
        raise AssertionError(f"the schedule is empty: list which thread takes each step, "
                             f"in order, until {goal}")
    if len(schedule) > limit:
        raise AssertionError(f"the schedule has {len(schedule)} steps; at most {limit} are "
                             "replayed, and a much shorter one reaches the goal")
    run_once(setup, threads)  # warm up: fresh code counts its steps from the first run on
    session = ManualSession(setup, threads)
    try:
        for number, name in enumerate(schedule, start=1):
            if reached(session):
                break
            if name not in session.runnable():
                raise AssertionError(
                    f"Step {number} of your schedule is {name}, but {name} cannot take a step "
                    f"then: {_cannot_move(session, name)}. After steps 1 to {number - 1}, "
                    + _what_happened(session, show) + ". "
                    + _next_move(list(schedule[:number - 1]), setup, threads, reached))
            session.step(name)
        if not reached(session):
            raise AssertionError(
                f"Your schedule does not reach the goal ({goal}). After its {len(schedule)} "
                "steps, " + _what_happened(session, show) + ". "
                + _next_move(list(schedule), setup, threads, reached))
        return len(session.history)
    finally:
        session.close()


seal(__name__)
