"""In the grading kernel: the failing interleaving of a test cell, to draw, and its verdict.

A failing test cell raises an ``AssertionError`` whose message quotes the engine's
``result.message``: by ``assert_ok``, or in the lesson's own words. :func:`register`, called
by the grading kernel's boot (:func:`autograder.grading.sandbox.guard.main`, before the guard's
snapshot, which then protects it), adds an IPython ``post_run_cell`` callback: when a cell fails
with an error whose message holds a failing engine result's message (a ``Result`` held by a frame
the error went through, or by the user namespace), it displays

* that result's failing interleaving as data (:mod:`.trace_data`, numbered as the step table
  of the message: ``course.bridge.failure_picture.shown``), unless it is too long to read, which
  the grading process draws into the lock-ownership timeline's PNG as soon as the cell has run
  (:mod:`autograder.grading.plugins.failure_drawings`: matplotlib is imported there once, not in
  every kernel whose answer fails), and
* in the output's metadata (``autograder.failure``): the verdict and the engine's headline,

which the feedback (:class:`autograder.grading.plugins.feedback.FailureFeedback`) puts above the
error: the headline from the verdict, then the picture, then the step table. ``course``'s own
callback, which draws the picture above a failing ``assert_ok`` in a student's kernel, draws
nothing in a grading kernel (``register`` says so to it), so a failure is drawn once.

Every failing cell also gets its failure as plain data (``autograder.record``:
:mod:`autograder.grading.sandbox.failure_record`), for grading day's class report: in the picture's
metadata, or, when no engine result's message is quoted, in an output of its own that the
feedback leaves out.
"""

from __future__ import annotations

import os
from typing import Any

from . import trace_data

#: The output's metadata key, and its text/plain (what a text-only view shows).
KEY = "failure"
TEXT = "<timeline of the failing interleaving>"
#: The metadata key of the failure record, and the text/plain of an output holding only it.
RECORD = "record"
RECORD_TEXT = "<failure record>"


def bundle(result: Any) -> tuple[dict, dict]:
    """(data, metadata) of the display for a failing result: the verdict and headline always,
    and the interleaving to draw when it can be drawn, as data (:mod:`.trace_data`): the grading
    process draws it (:mod:`autograder.grading.plugins.failure_drawings`), so that no grading
    kernel imports matplotlib."""
    headline = (result.message or "").strip().split("\n", 1)[0]
    meta = {"autograder": {KEY: {"verdict": result.verdict, "headline": headline}}}
    data: dict[str, Any] = {"text/plain": f"<{result.verdict}>"}
    try:
        from course.bridge.failure_picture import shown

        trace = shown(result) if result.trace is not None else None
        if trace is not None:
            data = {"text/plain": TEXT, trace_data.MIME: trace_data.dump(trace)}
    except Exception:  # noqa: BLE001 - a picture is a bonus: never let it break grading
        data = {"text/plain": f"<{result.verdict}>"}
    return data, meta


def _candidates(shell: Any, error: BaseException) -> list[Any]:
    """The values the failing cell left: the locals of every frame the error went through (a
    helper function's result too), then the user namespace."""
    found: list[Any] = []
    tb = error.__traceback__
    while tb is not None:
        found.extend(list(tb.tb_frame.f_locals.values()))
        tb = tb.tb_next
    found.extend(list(shell.user_ns.values()))
    return found


def _failing(shell: Any, error: BaseException) -> Any:
    """The failing engine result whose message the error quotes (None if none does)."""
    from autograder.exploration.result import Result

    text = str(error)
    for value in _candidates(shell, error):
        if isinstance(value, Result) and not value.ok and value.message and _quoted(
                value.message, text):
            return value
    return None


def _quoted(message: str, text: str) -> bool:
    """Whether the error ``text`` quotes the engine's ``message``: whole, or as ``assert_ok``
    does, its first line and the rest around the scenario in words."""
    if message.strip() in text:
        return True
    first, _, rest = message.strip().partition("\n")
    return bool(rest.strip()) and first in text and rest.strip() in text


def _in_frames(error: BaseException) -> Any:
    """The failing engine result held by the deepest function frame the error went through (a
    helper that turned it into its own message: an endless loop, say), or the error it was
    raised from or during, or None; not a cell's own variables (a demo's result, say)."""
    from autograder.exploration.result import Result

    found = None
    chain: list[BaseException] = []
    link: BaseException | None = error
    while link is not None and len(chain) < 5:  # and what it was raised from, or during
        chain.append(link)
        link = link.__cause__ or link.__context__
    for raised in reversed(chain):
        tb = raised.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code.co_name != "<module>":
                for value in list(tb.tb_frame.f_locals.values()):
                    if isinstance(value, Result) and not value.ok:
                        found = value
            tb = tb.tb_next
    return found


def _record(make: Any) -> dict:
    try:
        return make()
    except Exception as problem:  # noqa: BLE001 - a record is a bonus: never break grading
        return {"v": 0, "problem": f"{type(problem).__name__}"}


def after_cell(shell: Any, outcome: Any) -> None:
    error = getattr(outcome, "error_in_exec", None)
    if error is None:
        return
    from IPython.display import display

    from . import failure_record

    result = _failing(shell, error)
    if result is None:
        held = _in_frames(error)
        record = _record(lambda: failure_record.of_result(shell, held, error) if held
                         is not None else failure_record.of_error(shell, error))
        display({"text/plain": RECORD_TEXT}, metadata={"autograder": {RECORD: record}},
                raw=True)
        return
    data, meta = bundle(result)
    meta["autograder"][RECORD] = _record(
        lambda: failure_record.of_result(shell, result, error))
    display(data, metadata=meta, raw=True)


def register(shell: Any) -> None:
    """Add the callback to the kernel's shell (and tell ``course`` not to draw failures)."""
    if shell is None:
        return
    # course's own callback (the picture above a failing assert_ok) draws nothing here: this
    # hook sends the interleaving once, with its verdict, for the grading process to draw
    from course.bridge.failure_picture import DRAWN_BY_ENV

    os.environ[DRAWN_BY_ENV] = "grader"
    shell.events.register("post_run_cell", lambda outcome: _safe(shell, outcome))


def _safe(shell: Any, outcome: Any) -> None:
    try:
        after_cell(shell, outcome)
    except Exception:  # noqa: BLE001 - never let the picture break a cell
        pass
