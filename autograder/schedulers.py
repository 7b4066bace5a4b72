"""Schedulers: who runs the next step. All are deterministic given their inputs.

A scheduler has one method, ``choose(rt, enabled)``, called by the thread holding the baton with
the execution and the list of threads that can run; it returns one of them, or ``None`` to end
the execution early.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from .base import _real
from .base._seal import Sealed, seal
from .runtime.execution import Execution, MThread


def keep_running(rt: Execution, enabled: Sequence[MThread]) -> MThread:
    """No preemption: the thread that ran last goes on if it can, else the first one."""
    cur = rt.current
    if cur is not None and cur in enabled:
        return cur
    return enabled[0]


class FirstScheduler(metaclass=Sealed):
    """Runs each thread as long as it can, in creation order (no preemption at all); with
    ``fair``, a thread that spins yields to the others (see ``Execution._fair``)."""

    def __init__(self, fair: bool = False) -> None:
        self.fair = fair

    def choose(self, rt: Execution, enabled: Sequence[MThread]) -> MThread:
        return keep_running(rt, enabled)


class ReplayScheduler(metaclass=Sealed):
    """Follows a recorded schedule (thread names, one per step), then runs without preemption."""

    def __init__(self, schedule: Sequence[str]) -> None:
        self.schedule = list(schedule)
        self.diverged: int | None = None

    def choose(self, rt: Execution, enabled: Sequence[MThread]) -> MThread:
        i = len(rt.records)
        if i < len(self.schedule) and self.diverged is None:
            for t in enabled:
                if t.name == self.schedule[i]:
                    return t
            self.diverged = i
        return keep_running(rt, enabled)


class RandomScheduler(metaclass=Sealed):
    """Picks uniformly among enabled threads, from a seeded generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def choose(self, rt: Execution, enabled: Sequence[MThread]) -> MThread:
        return enabled[self.rng.randrange(len(enabled))]


class PCTScheduler(metaclass=Sealed):
    """Probabilistic concurrency testing (Burckhardt et al., 2010), seeded.

    Threads get distinct random priorities; the highest-priority enabled thread runs; at
    ``depth - 1`` random steps the running thread's priority drops below all others. A bug of
    depth ``d`` is found with probability at least ``1 / (n * k**(d-1))`` per execution.
    """

    def __init__(self, seed: int, depth: int = 3, length: int = 100) -> None:
        self.rng = random.Random(seed)
        self.depth = depth
        self.change_points = sorted(self.rng.sample(range(1, max(length, depth) + 1), depth - 1))
        self.priority: dict[int, float] = {}
        self.low = 0.0

    def choose(self, rt: Execution, enabled: Sequence[MThread]) -> MThread:
        for t in enabled:
            if t.tid not in self.priority:
                self.priority[t.tid] = self.depth + self.rng.random()
        step = len(rt.records)
        best = max(enabled, key=lambda t: self.priority[t.tid])
        if self.change_points and step >= self.change_points[0]:
            self.change_points.pop(0)
            self.low -= 1.0
            self.priority[best.tid] = self.low
            best = max(enabled, key=lambda t: self.priority[t.tid])
        return best


class TreeScheduler(metaclass=Sealed):
    """One branch of the tree of *all* schedules: follows ``prefix`` (an index into each step's
    list of enabled threads), then always takes the first enabled thread.

    ``taken`` records ``(index, number enabled)`` per step, so a caller can walk the whole tree
    depth-first (:func:`next_branch`): the brute-force reference the DPOR search is checked
    against.
    """

    def __init__(self, prefix: Sequence[int] = ()) -> None:
        self.prefix = list(prefix)
        self.taken: list[tuple[int, int]] = []

    def choose(self, rt: Execution, enabled: Sequence[MThread]) -> MThread:
        i = len(rt.records)
        k = self.prefix[i] if i < len(self.prefix) else 0
        k = min(k, len(enabled) - 1)
        self.taken.append((k, len(enabled)))
        return enabled[k]


def next_branch(taken: Sequence[tuple[int, int]]) -> list[int] | None:
    """The prefix of the next branch after ``taken`` in depth-first order; None at the end."""
    i = len(taken) - 1
    while i >= 0 and taken[i][0] + 1 >= taken[i][1]:
        i -= 1
    if i < 0:
        return None
    return [k for k, _ in taken[:i]] + [taken[i][0] + 1]


class ManualScheduler(metaclass=Sealed):
    """A person chooses: ``choose`` waits until :meth:`pick` names the next thread."""

    def __init__(self) -> None:
        self._choice_ready = _real.allocate_lock()
        self._choice_ready.acquire()
        self.asking = _real.allocate_lock()  # released whenever a choice is awaited
        self.asking.acquire()
        self.waiting = False
        self.enabled_names: list[str] = []
        self._choice: str | None = None

    def choose(self, rt: Execution, enabled: Sequence[MThread]) -> MThread | None:
        self.enabled_names = [t.name for t in enabled]
        self.waiting = True
        self.asking.release()
        self._choice_ready.acquire()
        self.waiting = False
        for t in enabled:
            if t.name == self._choice:
                return t
        return None  # a stop was requested

    def pick(self, name: str | None) -> None:
        """Choose ``name`` (None stops the execution); called from the person's thread."""
        self._choice = name
        self._choice_ready.release()


__all__ = [
    "FirstScheduler", "ReplayScheduler", "RandomScheduler", "PCTScheduler", "ManualScheduler",
    "TreeScheduler", "keep_running", "next_branch",
]

seal(__name__)  # the code under test cannot rewrite the grader
