"""A person chooses (behind :class:`~autograder.exploration.manual.ManualSession`)."""

from __future__ import annotations

from collections.abc import Sequence

from ...base import _real
from ...base._seal import Sealed, seal
from ...runtime.execution import Execution
from ...runtime.threads import MThread


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

seal(__name__)  # the code under test cannot rewrite the grader
