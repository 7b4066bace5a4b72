"""Make concurrency visible: record real runs, draw timelines and wait-for graphs, widgets.

What a lesson calls::

    from course import record, label, plot_timeline, plot_wait_for, interleaving_table, demo

    with record() as rec:            # real threads, real locks: what each thread asked for,
        ...                          # got and gave back, with perf_counter times
    plot_timeline(rec.trace)         # lanes per thread; also draws engine traces (in steps)
    plot_wait_for(trace)             # who holds / waits for what, the cycle in red
    interleaving_table(trace)        # step, thread, line, operation, state
    demo(run, threads=(1, 16, 4))    # sliders that re-run ``run`` and redraw its timeline
    scheduler(setup, threads, goal=deadlock())   # "you are the scheduler" (needs the engine)

The package in four groups, each importing only from the ones above it:

- ``course.recording``: real threads to a trace, standard library only (``recorder``: ``record``,
  ``label``; ``wrappers``: the recording primitives; ``moments``: who holds and waits for what,
  wait-for cycles, at any moment of a trace);
- ``course.drawing``: a trace to pictures and tables, with matplotlib (``palette``: every colour;
  ``spans``, ``timeline``, ``waitfor``, ``table``; ``figures``: PNGs and IPython display);
- ``course.bridge``: the engine's runs made visible (``counterexample``, the scheduler game's logic
  in ``game``, and ``failure_picture``, the timeline above a failing test's message);
- ``course.widgets``: ipywidgets (``livedemo`` with its ready programs in ``demos``, the scheduler
  board in ``game_view``, ``fallback``: the static picture a widget leaves in converted notebooks).

Beside them: ``course.quiz`` (the lessons' self-study quizzes) and ``course.costs`` (what the
pictures and widgets cost: ``python -m course.costs``).

The recorder is imported at once (it needs no matplotlib); the rest lazily, on first use.
``course.record`` is the function; ``course.record.label`` is also there, for symmetry with
``course.label``.
"""

from __future__ import annotations

import importlib
from typing import Any

from course.bridge.failure_picture import register as _register_failure_picture
from course.drawing import not_drawn
from course.recording.recorder import Recorder, label, record

_register_failure_picture()  # a failing test shows its interleaving's timeline (in a kernel)

_EXPORTS = {
    "plot_timeline": "course.drawing.timeline",
    "plot_wait_for": "course.drawing.waitfor",
    "interleaving_table": "course.drawing.table",
    "Table": "course.drawing.table",
    "demo": "course.widgets.livedemo",
    "Demo": "course.widgets.livedemo",
    "scheduler": "course.widgets.game_view",
    "SchedulerView": "course.widgets.game_view",
    "SchedulerGame": "course.bridge.game",
    "Goal": "course.bridge.game",
    "lost_update": "course.bridge.game",
    "both_inside": "course.bridge.game",
    "deadlock": "course.bridge.game",
    "counterexample": "course.bridge.counterexample",
    "walk": "course.bridge.counterexample",
}

#: Modules the package gives by name (``from course import demos``).
_MODULES = {"demos": "course.widgets.demos"}

__all__ = [  # grouped by what they are for
    "record", "label", "Recorder",
    "plot_timeline", "plot_wait_for", "interleaving_table", "Table",
    "demo", "Demo",
    "scheduler", "SchedulerView", "SchedulerGame", "Goal", "lost_update", "both_inside",
    "deadlock",
    "counterexample", "walk",
    "demos",
]


#: What the drawing exports draw: in a grading kernel they draw nothing (course.drawing.not_drawn).
_DRAWN = {
    "plot_timeline": "the timeline",
    "plot_wait_for": "the wait-for graph",
    "demo": "the live demo",
    "Demo": "the live demo",
    "scheduler": "the scheduler board",
}


def __getattr__(name: str) -> Any:
    if name in _DRAWN and not_drawn.pictures_off():
        value: Any = not_drawn.stand_in(_DRAWN[name])
    elif name in _MODULES:
        value = importlib.import_module(_MODULES[name])
    elif name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
    else:
        raise AttributeError(f"module 'course' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS, *_MODULES})
