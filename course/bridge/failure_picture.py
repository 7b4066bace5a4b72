"""The failing interleaving as a picture, above the text a failing test prints.

``import course`` registers :func:`show` with ``autograder.exploration.report.on_failure``:
when a test cell's ``explore(...).assert_ok()`` fails inside a Jupyter kernel, the
lock-ownership timeline of the failing schedule is displayed as a PNG just before the
``AssertionError`` (whose message holds the step-by-step table). The PNG is a plain output,
so nbgrader's feedback HTML embeds it.

In a grading kernel nothing is drawn here: the grader's own hook
(``autograder.grading.sandbox.failure_pictures``) sends the failing interleaving as data, once,
with its verdict, and the grading process draws it with :func:`draw` (matplotlib stays loaded
there from one submission to the next). The hook says so by setting :data:`DRAWN_BY_ENV`.
"""

from __future__ import annotations

import base64
import os
from typing import Any

#: Traces longer than this are drawn from their table only (a picture would be unreadable).
MAX_EVENTS = 400
#: The picture's resolution (labels are drawn at least 10 pixels high at it).
DPI = 80
#: Set (to "grader") in a grading kernel: a failing test's picture is the grader's to draw.
DRAWN_BY_ENV = "COURSE_FAILURE_PICTURE_DRAWN_BY"
TITLE = "The failing interleaving: the numbers are the steps of the table below"


def _kernel() -> Any:
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    return shell if shell is not None and getattr(shell, "kernel", None) is not None else None


def show(result: Any) -> None:
    """Display the failing schedule's timeline (only in a kernel; silently nothing otherwise)."""
    if getattr(result, "trace", None) is None or _kernel() is None:
        return
    if os.environ.get(DRAWN_BY_ENV) == "grader":
        return
    data = picture(result)
    if data is None:
        return
    from IPython.display import display

    display({"image/png": base64.b64encode(data).decode("ascii"),
             "text/plain": "<timeline of the failing interleaving>"}, raw=True)


def shown(result: Any) -> Any:
    """The failing run to draw, numbered as the message's step table (None when there is no
    run, or it is too long to draw). Plain data: no matplotlib is imported."""
    from autograder.exploration import report

    trace = report.shown_trace(result)
    if trace is None or len(trace.events) > MAX_EVENTS:
        return None
    return report.numbered(trace)


def draw(trace: Any) -> Any:
    """The timeline of a :func:`shown` trace, its reads and writes labelled with their steps."""
    from course.drawing.timeline import plot_timeline

    steps = max((e.step for e in trace.events), default=0)
    width = min(max(10.0, 0.3 * steps + 3), 24.0)  # about 24 px a step: labels do not collide
    return plot_timeline(trace, numbered=True, width=width, dpi=DPI,
                         label_every=label_every(steps, width), title=TITLE)


def figure(result: Any) -> Any:
    """The failing run's timeline, its reads and writes labelled with the step numbers of the
    message's step table (None when there is no run, or it is too long to draw)."""
    trace = shown(result)
    return None if trace is None else draw(trace)


def label_every(steps: int, width: float) -> int:
    """Label every k-th step so that two labels are at least two label heights apart on a
    picture ``width`` inches wide (every step up to about 80 steps)."""
    from course.drawing.timeline import LABEL_PX

    room = width * DPI * 0.8 / max(steps, 1)  # pixels a step, the axes taking about 80 %
    return max(1, -(-2 * LABEL_PX // int(max(room, 1)))) if room < 2 * LABEL_PX else 1


def picture(result: Any) -> bytes | None:
    """:func:`figure` as PNG bytes (None when there is nothing to draw)."""
    fig = figure(result)
    return None if fig is None else png(fig)


def png(fig: Any) -> bytes:
    """A :func:`draw` figure as PNG bytes, at :data:`DPI`."""
    from course.drawing.figures import png as to_png

    return to_png(fig, dpi=DPI)


def register() -> None:
    from autograder.exploration import report

    report.on_failure(show)
