"""Small shared-state programs for the scheduler board, the gallery and the benchmark.

Each comes as ``setup()`` (fresh shared state) and thread functions taking that state, the shape
``autograder.explore`` and :class:`course.game.SchedulerGame` expect.
"""

from __future__ import annotations

import threading
from types import SimpleNamespace


def counter_setup() -> SimpleNamespace:
    """A shared counter at 0."""
    return SimpleNamespace(count=0)


def increment(s: SimpleNamespace) -> None:
    """``count += 1`` spelled out: a read, then a write."""
    tmp = s.count
    s.count = tmp + 1


def locks_setup() -> SimpleNamespace:
    """Two locks, ``a`` and ``b``."""
    return SimpleNamespace(a=threading.Lock(), b=threading.Lock())


def one_way(s: SimpleNamespace) -> None:
    """Takes ``a``, then ``b``."""
    with s.a:
        with s.b:
            pass


def other_way(s: SimpleNamespace) -> None:
    """Takes ``b``, then ``a``: with :func:`one_way`, a deadlock waiting to happen."""
    with s.b:
        with s.a:
            pass


def flag_setup() -> SimpleNamespace:
    """A home-made "lock": a busy flag."""
    return SimpleNamespace(busy=False)


def flag_worker(s: SimpleNamespace) -> None:
    """Waits for the flag to be down, raises it, works, lowers it: not mutual exclusion."""
    while s.busy:
        pass
    s.busy = True
    s.busy = True  # critical section
    s.busy = False
