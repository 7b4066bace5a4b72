"""In the grading process: a failing test's interleaving, sent by the kernel as data, drawn.

The grading kernel displays a failing test's interleaving as data
(:mod:`autograder.grading.sandbox.failure_pictures`, :mod:`autograder.grading.sandbox.trace_data`);
:func:`draw_failures`, called by :class:`~autograder.grading.plugins.execute.GradingExecute` as
soon as a cell has run, replaces that data with the timeline's PNG that the feedback and the class
report show, drawn by the same function as in a student's own kernel
(``course.bridge.failure_picture.draw``). So the autograded notebook holds what it held when the
kernel drew the picture, while matplotlib is imported once per grading process instead of once in
every kernel whose answer fails a test (about half a second of CPU a submission).

The data is untrusted (student code can display anything): :func:`trace_data.load` checks it, the
picture is drawn with matplotlib's math text off, and data that does not load or draw leaves the
output without a picture (the verdict's name as its text), as a trace too long to draw does. So
that a flood of forged traces cannot keep the grading process drawing, at most one picture is
drawn a cell and :data:`MOST_A_NOTEBOOK` a notebook (a lesson has at most 14 test cells).
"""

from __future__ import annotations

import base64
import threading
from typing import Any

from nbformat import NotebookNode

from ..sandbox import failure_pictures, trace_data

#: The most pictures drawn for one notebook (each costs the grading process about 0.07 s).
MOST_A_NOTEBOOK = 30
#: matplotlib's settings are global: one picture at a time in a process (a Dask worker runs
#: several jobs in threads).
_DRAWING = threading.Lock()


def draw_failures(cell: NotebookNode, most: int = 1) -> int:
    """Draw the failure traces among ``cell``'s outputs in place, at most ``most`` of them (the
    grading kernel sends one a cell; more are forged, and are left without a picture, as is data
    that does not load or draw); how many were drawn."""
    drawn = 0
    for output in cell.get("outputs", []):
        data = output.get("data") if output.get("output_type") == "display_data" else None
        if not isinstance(data, dict) or trace_data.MIME not in data:
            continue
        sent = data.pop(trace_data.MIME)
        png = picture(sent) if drawn < most else None
        if png is None:
            data["text/plain"] = f"<{_verdict(output)}>"
            continue
        data["image/png"] = png
        data["text/plain"] = failure_pictures.TEXT
        drawn += 1
    return drawn


def picture(data: Any) -> str | None:
    """The base64 PNG of a failure trace's data, or None when it does not load or draw."""
    try:
        trace = trace_data.load(data)
        if not trace.events:
            return None
        import matplotlib

        from course.bridge.failure_picture import draw, png

        with _DRAWING, matplotlib.rc_context({"text.parse_math": False, "text.usetex": False}):
            return base64.b64encode(png(draw(trace))).decode("ascii")
    except Exception:  # noqa: BLE001 - a picture is a bonus: never let it break grading
        return None


def _verdict(output: NotebookNode) -> str:
    meta = output.get("metadata", {}).get("autograder", {})
    failure = meta.get(failure_pictures.KEY) if isinstance(meta, dict) else None
    verdict = failure.get("verdict") if isinstance(failure, dict) else None
    return verdict if isinstance(verdict, str) and len(verdict) < 40 else "failure"
