"""The tree of all schedules, walked depth-first: the brute-force reference for tests."""

from __future__ import annotations

from collections.abc import Sequence

from ...base._seal import Sealed, seal
from ...runtime.execution import Execution
from ...runtime.threads import MThread


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

seal(__name__)  # the code under test cannot rewrite the grader
