"""What the lessons' test cells share, so that each test cell stays short (issue 10).

Validate prints a failing test cell's source: the student must find the reason in it without
scrolling through helper code. The code under test (the answer, the threads a test runs) stays in
the cells, where the engine traces it; this module holds only what checks it, which the engine
does not trace (it is part of the grader). Pure standard library and the engine: it is imported in
the student's kernel, where the tamper guard seals it like the rest of the grader
(`autograder.grading.guard`).
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

__all__ = ["assert_ok", "complete_lines", "expect_cycle", "expect_none", "expect_raises",
           "read_text", "returns", "rotations", "round_robin", "session_steps",
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


def round_robin(setup: Callable[[], Any], threads: dict[str, Callable],
                limit: int = 5000) -> tuple[bool, str, Any]:
    """Run ``threads`` on the engine's manual scheduler, each taking one step in turn (skipping
    the blocked ones): what happens when they all start at once. Returns ``(done, outcome,
    failure)`` of the run (``outcome`` "ok", "deadlock", ...; ``failure`` None or the report)."""
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
        return session.done, session.outcome, session.failure
    finally:
        session.close()


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
    return (f"the threads are still running ({where}; {state}), and the goal is not reached "
            "yet: add the steps that get there")


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
                    + _what_happened(session, show) + ".")
            session.step(name)
        if not reached(session):
            raise AssertionError(
                f"Your schedule does not reach the goal ({goal}). After its {len(schedule)} "
                "steps, " + _what_happened(session, show) + ".")
        return len(session.history)
    finally:
        session.close()


seal(__name__)
