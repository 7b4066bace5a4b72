"""Controlled ``threading.Semaphore`` and ``threading.BoundedSemaphore``."""

from __future__ import annotations

from typing import Any

from ..base import _real
from ..base._seal import Sealed, seal
from ..runtime.execution import Execution
from ..runtime.ops import Op
from ..runtime.threads import MThread
from .base import Primitive, _AcquireOp, _managed, _ObjOp, _would_block, misuse, primitive


class _SemReleaseOp(_ObjOp, metaclass=Sealed):
    """Give back permits. Two releases of one plain ``Semaphore`` commute (the count is a sum;
    the holders it drops are only shown in messages); a ``BoundedSemaphore``'s may raise in one
    order only, and a release and an acquire never commute."""

    __slots__ = ("n",)
    trace_op = "release"

    def __init__(self, sem: Semaphore, n: int) -> None:
        super().__init__(sem)
        self.n = n
        self.progress = False

    def execute(self, rt: Execution, t: MThread | None) -> None:
        self.obj._release(t, self.n)

    def observe(self, rt: Execution, t: MThread) -> None:
        return None

    def commutes(self, other: Op) -> bool:
        return type(other) is _SemReleaseOp and other.obj is self.obj \
            and type(self.obj) is Semaphore


@primitive
class Semaphore(Primitive, metaclass=Sealed):
    """A controlled ``threading.Semaphore``."""

    _kind = "Semaphore"
    _real_types = (_real.REAL_TYPES["Semaphore"],)
    _exclusive = False

    def __init__(self, value: int = 1) -> None:
        if value < 0:
            raise ValueError("semaphore initial value must be >= 0")
        super().__init__()
        self._value = value
        self._initial = value
        self._holders: list[MThread | None] = []

    def _can_take(self, t: MThread | None) -> bool:
        return self._value > 0

    def _state(self) -> str:
        return f"value={self._value}"

    def _take(self, t: MThread | None, rt: Execution | None, op: Op | None) -> None:
        self._value -= 1
        self._holders.append(t)

    def _release(self, t: MThread | None, n: int) -> None:
        self._value += n
        for _ in range(n):
            if t in self._holders:
                self._holders.remove(t)
            elif self._holders:
                self._holders.pop(0)

    def acquire(self, blocking: bool = True, timeout: float | None = None) -> bool:
        if not blocking and timeout is not None:
            raise ValueError("can't specify timeout for non-blocking acquire")
        t = _managed()
        if t is None:
            if self._value > 0:
                self._value -= 1
                return True
            if not blocking or timeout is not None:
                return False
            raise _would_block(f"acquiring {self._label}")
        return t.rt.sync(_AcquireOp(self, t.rt, blocking, timeout))

    def release(self, n: int = 1) -> None:
        if n < 1:
            raise ValueError("n must be one or more")
        t = _managed()
        if t is None:
            _SemReleaseOp(self, n).execute(None, None)  # type: ignore[arg-type]
            return
        t.rt.sync(_SemReleaseOp(self, n))

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc: Any) -> None:
        self.release()

    @classmethod
    def _twin_of(cls, real: Any) -> Semaphore:
        return cls(real._value)


@primitive
class BoundedSemaphore(Semaphore, metaclass=Sealed):
    """A controlled ``threading.BoundedSemaphore``: releasing too many times raises."""

    _kind = "BoundedSemaphore"
    _real_types = (_real.REAL_TYPES["BoundedSemaphore"],)

    def _release(self, t: MThread | None, n: int) -> None:
        if self._value + n > self._initial:
            raise misuse(ValueError("Semaphore released too many times"))
        super()._release(t, n)

    def _state(self) -> str:
        return f"value={self._value}/{self._initial}"

    @classmethod
    def _twin_of(cls, real: Any) -> BoundedSemaphore:
        twin = cls(real._initial_value)
        twin._value = real._value
        return twin

seal(__name__)  # the code under test cannot rewrite the grader
