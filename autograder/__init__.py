"""The deterministic interleaving engine behind the course's tests (pure standard library).

Test cells call :func:`explore` on the classes and functions a student defined::

    from autograder import explore

    result = explore(setup=Counter, threads=[increment_twice, increment_twice],
                     invariant=lambda c: c.value == 4)
    result.assert_ok()   # AssertionError with the failing interleaving, step by step
"""

from .explore import Options, Result, explore, replay, run_once
from .manual import ManualSession
from .primitives import name
from .schedulers import (
    FirstScheduler,
    ManualScheduler,
    PCTScheduler,
    RandomScheduler,
    ReplayScheduler,
)
from .trace import Event, Trace, WaitEdge

__all__ = [
    "explore", "replay", "run_once", "Options", "Result", "ManualSession", "name",
    "Event", "Trace", "WaitEdge", "FirstScheduler", "ReplayScheduler", "RandomScheduler",
    "PCTScheduler", "ManualScheduler",
]
