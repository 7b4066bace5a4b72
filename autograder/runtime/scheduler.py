"""The scheduler contract: what an :class:`~autograder.runtime.execution.Execution` asks of the
object that decides who runs next. The schedulers themselves are in
:mod:`autograder.exploration.schedulers`, one per file."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from ..base._seal import seal

if TYPE_CHECKING:  # annotations only: execution imports this module
    from .execution import Execution
    from .threads import MThread


@runtime_checkable
class Scheduler(Protocol):
    """Who runs the next step. Deterministic given its inputs (a seed, a schedule, a prefix).

    ``choose`` is called by the thread holding the baton, with the execution and the threads
    that can run now (never empty, in creation order); it returns one of them, or ``None`` to
    end the execution early (its outcome is then ``"pruned"``).

    Optional attributes, read with ``getattr`` and a default, so a scheduler need not define
    them:

    - ``fair`` (default False): keep a thread that polls without progress from running while a
      thread that does not poll can (``Execution._fair``);
    - ``waiting`` (default False): True while a person is choosing, so the watchdog does not
      take the pause for a stuck thread (the ``ManualScheduler``);
    - ``diverged`` (default None): the step at which a replayed schedule no longer fit.
    """

    def choose(self, rt: Execution, enabled: Sequence[MThread]) -> MThread | None:
        """The thread that takes the next step, or None to stop."""
        ...


seal(__name__)  # the code under test cannot rewrite the grader
