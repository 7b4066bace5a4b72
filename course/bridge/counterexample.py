"""The engine's interleavings, made into pictures and tables a lesson shows.

    bug = counterexample(setup, [increment, increment], invariant=lambda s: s.count == 2)
    bug                      # in a notebook: the message, the timeline and the step table
    bug.timeline(); bug.table(); bug.wait_for()

The counterexample is replayed step by step on the engine's manual scheduler, so the table's
state column shows the shared variables after every step.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from autograder.base.trace import Trace
from course.bridge.game import Threads, snapshot
from course.drawing import not_drawn


def walk(setup: Callable[[], Any] | None, threads: Threads, schedule: Sequence[str], *,
         invariant: Callable[[Any], Any] | None = None,
         show: Callable[[Any], Any] | None = None) -> tuple[Trace, dict[int, Any]]:
    """Replay ``schedule`` one step at a time; returns the trace and, per step, ``show(state)``."""
    import autograder

    show = show or snapshot
    session = autograder.ManualSession(setup, threads, invariant)
    states: dict[int, Any] = {}
    try:
        for name in schedule:
            if name not in session.runnable():
                break
            events = session.step(name)
            if events:
                states[events[-1].step] = show(session.state)
        return session.trace, states
    finally:
        session.close()


@dataclass
class Interleaving:
    """An interleaving the engine found, with the state after each of its steps."""

    result: Any
    trace: Trace
    states: dict[int, Any] = field(default_factory=dict)

    @property
    def schedule(self) -> list[str]:
        """Which thread ran at each step."""
        return list(self.result.schedule or [])

    @property
    def message(self) -> str:
        """The engine's explanation, in words."""
        return str(self.result.message)

    def table(self, **kwargs: Any) -> Any:
        """The steps as a table (see :func:`course.drawing.table.interleaving_table`)."""
        from course.drawing.table import interleaving_table

        return interleaving_table(self.trace, states=self.states, **kwargs)

    def timeline(self, **kwargs: Any) -> Any:
        """The timeline picture."""
        if not_drawn.pictures_off():
            return not_drawn.NotDrawn("the timeline")
        from course.drawing.timeline import plot_timeline

        return plot_timeline(self.trace, **kwargs)

    def wait_for(self, **kwargs: Any) -> Any:
        """The wait-for graph at the end."""
        if not_drawn.pictures_off():
            return not_drawn.NotDrawn("the wait-for graph")
        from course.drawing.waitfor import plot_wait_for

        return plot_wait_for(self.trace, **kwargs)

    def __str__(self) -> str:
        return f"{self.message}\n\n{self.table()}"

    def _repr_html_(self) -> str:
        first = "<p><b>" + html.escape(self.message.split("\n\n")[0]) + "</b></p>"
        if not_drawn.pictures_off():
            return first + self.timeline()._repr_html_() + self.table()._repr_html_()
        from course.drawing.figures import img_html, png

        return first + img_html(png(self.timeline()), "timeline") + self.table()._repr_html_()


def counterexample(setup: Callable[[], Any] | None, threads: Threads,
                   invariant: Callable[[Any], Any] | None = None, *,
                   show: Callable[[Any], Any] | None = None, **options: Any
                   ) -> Interleaving | None:
    """The engine's failing interleaving of ``threads`` (``None`` when every one passes).

    ``options`` go to ``autograder.explore`` (``max_executions=``, ``seed=``, ...).
    """
    import autograder

    result = autograder.explore(setup, threads, invariant, **options)
    if result.ok or not result.schedule:
        return None
    trace, states = walk(setup, threads, result.schedule, invariant=invariant, show=show)
    if result.trace is not None and trace.outcome == "ok" and result.trace.outcome != "ok":
        trace = result.trace  # the walk could not reproduce it: show the engine's own trace
    return Interleaving(result=result, trace=trace, states=states)
