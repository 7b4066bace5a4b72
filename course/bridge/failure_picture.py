"""The failing interleaving as a picture, above the text a failing test prints.

``import course`` registers :func:`show` with ``autograder.exploration.report.on_failure``:
when a test cell's ``explore(...).assert_ok()`` fails inside a Jupyter kernel, the
lock-ownership timeline of the failing schedule is displayed as a PNG just before the
``AssertionError`` (whose message holds the step-by-step table). The PNG is a plain output,
so nbgrader's feedback HTML embeds it.
"""

from __future__ import annotations

import base64
from typing import Any

#: Traces longer than this are drawn from their table only (a picture would be unreadable).
MAX_EVENTS = 400


def _kernel() -> Any:
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    return shell if shell is not None and getattr(shell, "kernel", None) is not None else None


def show(result: Any) -> None:
    """Display the failing schedule's timeline (only in a kernel; silently nothing otherwise)."""
    trace = getattr(result, "trace", None)
    if trace is None or not trace.events or len(trace.events) > MAX_EVENTS or _kernel() is None:
        return
    from IPython.display import display

    from course.drawing.figures import png
    from course.drawing.timeline import plot_timeline

    data = png(plot_timeline(trace), dpi=80)
    display({"image/png": base64.b64encode(data).decode("ascii"),
             "text/plain": "<timeline of the failing interleaving>"}, raw=True)


def register() -> None:
    from autograder.exploration import report

    report.on_failure(show)
