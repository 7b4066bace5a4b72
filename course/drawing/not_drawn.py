"""While a notebook is graded, the lessons' pictures and widgets are not drawn.

The grading kernel (``autograder.grading.sandbox.kernel.GradingKernelManager``) starts with
``COURSE_PICTURES=off`` in its environment. There, the course's drawing entry points
(``plot_timeline``, ``plot_wait_for``, ``demo``, ``Demo``, ``scheduler`` and an interleaving's
``timeline()``, ``wait_for()`` and picture) return a :class:`NotDrawn` note instead of a picture
or a widget, without importing matplotlib or ipywidgets and without running a live demo's
program. Drawing them cost about a second of the three seconds of CPU a right answer took to
grade (docs/benchmark.md), for outputs nobody reads in the graded copy: a widget's state is not
saved there, and the student has the pictures in their own notebook.

What a test cell shows does not change: its message, and the picture of a failing test's
interleaving (``course.bridge.failure_picture.draw``; in a grading kernel the grading process
draws it from what the kernel sends, ``autograder.grading.plugins.failure_drawings``). Everywhere
else (JupyterLab, ``nbgrader validate``, the browser tests) nothing is set and everything is
drawn.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable
from typing import Any

#: The environment variable, and the value that turns the pictures off.
ENV = "COURSE_PICTURES"
OFF = "off"


def pictures_off() -> bool:
    """Whether this process is a grading kernel that draws no lesson pictures."""
    return os.environ.get(ENV) == OFF


class NotDrawn:
    """What a drawing call gives in a grading kernel: a one-line note in the cell's output."""

    def __init__(self, what: str) -> None:
        self.what = what

    @property
    def text(self) -> str:
        return (f"({self.what}: not drawn while the notebook is graded; run this cell in your "
                "own notebook to see it)")

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        return f"<p><i>{html.escape(self.text)}</i></p>"


def stand_in(what: str) -> Callable[..., NotDrawn]:
    """A function that takes any arguments and draws nothing: it gives ``NotDrawn(what)``."""

    def not_drawn(*_args: Any, **_kwargs: Any) -> NotDrawn:
        return NotDrawn(what)

    not_drawn.__doc__ = f"{what}, not drawn while the notebook is graded (see {__name__})."
    return not_drawn
