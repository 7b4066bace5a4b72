"""Schedulers: who runs the next step, one per file. All are deterministic given their inputs.

Each follows the :class:`~autograder.runtime.scheduler.Scheduler` protocol: one method,
``choose(rt, enabled)``, called by the thread holding the baton with the execution and the
threads that can run; it returns one of them, or ``None`` to end the execution early. The DPOR
search's own scheduler is :class:`autograder.exploration.dpor.DporScheduler`.
"""

from __future__ import annotations

from ...base._seal import seal
from .base import Scheduler, keep_running
from .first import FirstScheduler
from .manual import ManualScheduler
from .pct import PCTScheduler
from .replay import ReplayScheduler
from .tree import TreeScheduler, next_branch
from .uniform import RandomScheduler

__all__ = [
    "Scheduler", "FirstScheduler", "ReplayScheduler", "RandomScheduler", "PCTScheduler",
    "ManualScheduler", "TreeScheduler", "keep_running", "next_branch",
]

seal(__name__)  # the code under test cannot rewrite the grader
