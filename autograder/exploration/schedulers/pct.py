"""Probabilistic concurrency testing, seeded."""

from __future__ import annotations

import random
from collections.abc import Sequence

from ...base._seal import Sealed, seal
from ...runtime.execution import Execution
from ...runtime.threads import MThread


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

seal(__name__)  # the code under test cannot rewrite the grader
