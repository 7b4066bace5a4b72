"""A controlled ``threading.Barrier``."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ..base import _real
from ..base._seal import Sealed, seal
from ..runtime.execution import Execution
from ..runtime.threads import MThread
from .base import Primitive, _deadline, _managed, _ObjOp, _would_block, primitive

BrokenBarrierError = threading.BrokenBarrierError


class _ArriveOp(_ObjOp, metaclass=Sealed):
    __slots__ = ()
    trace_op = "wait"

    def enabled(self, rt: Execution, t: MThread) -> bool:
        """As CPython's ``_enter``: a thread arriving while the last arrival of the generation
        has not opened it yet (its action may be running), or while the threads it freed have
        not all left (the barrier drains), waits; a broken barrier lets it in, to raise."""
        b = self.obj
        return b._broken or (b._count < b._parties and b._draining == 0)

    def execute(self, rt: Execution, t: MThread) -> tuple[int, int]:
        b = self.obj
        if b._broken:
            raise BrokenBarrierError
        index = b._count
        b._count += 1
        return index, b._generation

    def event_op(self, result: Any) -> str:
        return "wake" if result[0] + 1 == self.obj._parties else "wait"  # the last one passes


class _BarrierPassOp(_ObjOp, metaclass=Sealed):
    __slots__ = ("generation",)
    block_word = None

    def __init__(self, b: Barrier, rt: Execution, generation: int, timeout: float | None) -> None:
        super().__init__(b, True)  # leaving lets the barrier drain (or a timeout breaks it)
        self.generation = generation
        self.deadline = _deadline(rt, timeout)

    def enabled(self, rt: Execution, t: MThread) -> bool:
        b = self.obj
        return (b._generation != self.generation or b._broken
                or (self.deadline is not None and rt.now >= self.deadline))

    def execute(self, rt: Execution, t: MThread) -> bool:
        b = self.obj
        if b._generation != self.generation:
            b._draining = max(0, b._draining - 1)
            return self.generation not in b._reset  # a reset breaks the waiters it frees
        if not b._broken:  # the timeout passed: break the barrier for everyone
            b._broken = True
        b._count = max(0, b._count - 1)  # it leaves, broken
        return False

    def event_op(self, result: Any) -> str:
        return "wake" if result else "broken"


class _BarrierOpenOp(_ObjOp, metaclass=Sealed):
    """Let the waiters go: the last arrival passes them ("pass"), ``abort()`` or a failed action
    breaks the barrier ("break"), ``reset()`` frees them with BrokenBarrierError and makes the
    barrier usable again ("reset"). It writes the key the waiters' pass ops read."""

    __slots__ = ("mode",)
    trace_op = "set"

    def __init__(self, b: Barrier, mode: str = "pass") -> None:
        super().__init__(b, True)
        self.mode = mode

    def execute(self, rt: Execution | None, t: MThread | None) -> None:
        b = self.obj
        if self.mode == "break":
            b._broken = True
        elif self.mode == "pass":
            b._generation += 1
            b._draining = b._parties - 1  # the waiters it frees, who have yet to leave
        else:
            if b._count or b._broken:  # the waiters of this generation leave broken
                b._reset.add(b._generation)
                b._generation += 1
                b._draining = b._count
            b._broken = False
        b._count = 0

    def event_op(self, result: Any) -> str:
        return {"break": "broken", "pass": "set", "reset": "clear"}[self.mode]  # reset empties it


@primitive
class Barrier(Primitive, metaclass=Sealed):
    """A controlled ``threading.Barrier``."""

    _kind = "Barrier"
    _real_types = (_real.REAL_TYPES["Barrier"],)

    def __init__(self, parties: int, action: Callable[[], Any] | None = None,
                 timeout: float | None = None) -> None:
        if parties < 1:
            raise ValueError("parties must be >= 1")
        super().__init__()
        self._parties = parties
        self._action = action
        self._timeout = timeout
        self._count = 0
        self._generation = 0
        self._broken = False
        self._reset: set[int] = set()  # generations that a reset ended
        self._draining = 0  # threads a pass or reset freed that have not left yet

    def wait(self, timeout: float | None = None) -> int:
        if timeout is None:
            timeout = self._timeout
        t = _managed()
        if t is None:
            raise _would_block(f"waiting at {self._label}")
        rt = t.rt
        index, generation = rt.sync(_ArriveOp(self))
        if index + 1 == self._parties:
            try:
                if self._action is not None:
                    self._action()
            except BaseException:
                rt.sync(_BarrierOpenOp(self, "break"))
                raise
            rt.sync(_BarrierOpenOp(self))
            return index
        if not rt.sync(_BarrierPassOp(self, rt, generation, timeout)):
            raise BrokenBarrierError
        return index

    def reset(self) -> None:
        """Back to the empty state; threads waiting now get BrokenBarrierError."""
        self._open("reset")

    def abort(self) -> None:
        self._open("break")

    def _open(self, mode: str) -> None:
        """Reset or break, as a step of the calling managed thread (at once outside a run)."""
        t = _managed()
        op = _BarrierOpenOp(self, mode)
        if t is None:
            op.execute(None, None)
        else:
            t.rt.sync(op)

    def _state(self) -> str:
        return "broken" if self._broken else f"waiters={self.n_waiting}/{self._parties}"

    @property
    def parties(self) -> int:
        return self._parties

    @property
    def n_waiting(self) -> int:
        return self._count if not self._broken else 0

    @property
    def broken(self) -> bool:
        return self._broken

    @classmethod
    def _twin_of(cls, real: Any) -> Barrier:
        return cls(real.parties, real._action, real._timeout)

seal(__name__)  # the code under test cannot rewrite the grader
