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

The recorder is imported at once (it needs no matplotlib); the rest lazily, on first use.
``course.record`` is the function; ``course.record.label`` is also there, for symmetry with
``from course.record import label``.
"""

from __future__ import annotations

import importlib
from typing import Any

from course.failure_picture import register as _register_failure_picture
from course.record import Recorder, label, record

_register_failure_picture()  # a failing test shows its interleaving's timeline (in a kernel)

_EXPORTS = {
    "plot_timeline": "course.timeline",
    "plot_wait_for": "course.waitfor",
    "interleaving_table": "course.table",
    "Table": "course.table",
    "demo": "course.livedemo",
    "Demo": "course.livedemo",
    "scheduler": "course.game_view",
    "SchedulerView": "course.game_view",
    "SchedulerGame": "course.game",
    "Goal": "course.game",
    "lost_update": "course.game",
    "both_inside": "course.game",
    "deadlock": "course.game",
    "counterexample": "course.engine",
    "walk": "course.engine",
}

__all__ = [  # grouped by what they are for
    "record", "label", "Recorder",
    "plot_timeline", "plot_wait_for", "interleaving_table", "Table",
    "demo", "Demo",
    "scheduler", "SchedulerView", "SchedulerGame", "Goal", "lost_update", "both_inside",
    "deadlock",
    "counterexample", "walk",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'course' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
