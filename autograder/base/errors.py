"""What goes wrong: the exception that unwinds a managed thread, the one that reports misuse of
the engine, and :class:`Failure`, an execution's failure in plain words."""

from __future__ import annotations

from dataclasses import dataclass, field

from ._seal import Sealed, seal


class Abort(BaseException, metaclass=Sealed):
    """Raised inside a managed thread to unwind it when its execution is over."""


class EngineUsageError(RuntimeError, metaclass=Sealed):
    """The code under test used the engine in a way it cannot honour (explained in the message)."""


@dataclass
class Failure(metaclass=Sealed):
    """What went wrong in an execution, in plain words."""

    kind: str
    message: str
    thread: str | None = None
    line: int | None = None
    source: str = ""
    details: list[str] = field(default_factory=list)


seal(__name__)  # the code under test cannot rewrite the grader
