"""What exploring a program found: :class:`Result`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..base._seal import Sealed, seal
from ..base.errors import Failure
from ..base.trace import Trace
from . import report


@dataclass
class Result(metaclass=Sealed):
    """What exploring a program found."""

    verdict: str
    executions: int
    exhaustive: bool
    seconds: float
    failure: Failure | None = None
    trace: Trace | None = None
    schedule: list[str] | None = None
    first_failure_seconds: float | None = None
    #: Executions cut short because every order from their last state was already covered.
    redundant: int = 0
    notes: list[str] = field(default_factory=list)
    state: Any = None
    _replay: Callable[[], Result] | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.verdict == "ok"

    @property
    def message(self) -> str:
        """The student-readable explanation."""
        return report.explain(self)

    def assert_ok(self) -> None:
        """Raise ``AssertionError`` with the explanation unless every interleaving passed."""
        if not self.ok:
            report.failed(self)
            raise AssertionError(self.message)

    def replay(self) -> Result:
        """Run the failing schedule again (it fails the same way)."""
        if self._replay is None:
            raise ValueError("nothing to replay: no failing schedule was found")
        return self._replay()

    def __str__(self) -> str:
        return self.message

seal(__name__)  # the code under test cannot rewrite the grader
