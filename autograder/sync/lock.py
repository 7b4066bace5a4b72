"""A controlled ``threading.Lock``, and the op that releases a lock (an RLock's too)."""

from __future__ import annotations

from typing import Any

from ..base import _real
from ..base._seal import Sealed, seal
from ..runtime.execution import Execution
from ..runtime.ops import Op
from ..runtime.threads import MThread
from .base import (
    Primitive,
    _AcquireOp,
    _check_timeout,
    _managed,
    _ObjOp,
    _ReadOp,
    _would_block,
    misuse,
    primitive,
)


class _ReleaseOp(_ObjOp, metaclass=Sealed):
    __slots__ = ("freed",)
    trace_op = "release"

    def __init__(self, lock: Lock, key: str | None = None) -> None:
        super().__init__(lock, True, key)
        self.progress = False  # taking and giving back a lock in a loop is still spinning
        self.freed = False

    @property  # type: ignore[override]
    def release(self) -> bool:
        """A release that freed the lock enabled the acquires waiting for it (they were never
        enabled beside it). One that did not (an RLock still held, a release that raised) did
        not: an acquire may run beside it, so they race."""
        return self.freed

    def execute(self, rt: Execution, t: MThread) -> None:
        self.obj._give(t)
        self.freed = self.obj._count == 0

    def observe(self, rt: Execution, t: MThread) -> None:
        return None


@primitive
class Lock(Primitive, metaclass=Sealed):
    """A controlled ``threading.Lock``."""

    _kind = "Lock"
    _real_types = (_real.RealLockType,)
    _exclusive = True

    def __init__(self) -> None:
        super().__init__()
        self._owner: MThread | None = None
        self._count = 0

    # state changes, run by the thread holding the baton
    def _can_take(self, t: MThread) -> bool:
        return self._count == 0

    def _take(self, t: MThread | None, rt: Execution | None, op: Op | None) -> None:
        # lock order (lockdep): only a wait without timeout can deadlock; a try-lock cannot
        if t is not None and rt is not None and op is not None and self._count == 0 \
                and op.acquire:
            for h in t.held:
                if h is not self:
                    rt.lock_edges.append((h, self, frozenset(x for x in t.held if x is not h),
                                          t, op))
            if self._count == 0:
                t.held.append(self)
        self._owner = t
        self._count += 1

    def _give(self, t: MThread | None) -> None:
        if self._count == 0:
            raise misuse(RuntimeError("release unlocked lock"))
        self._count -= 1
        if self._count == 0:
            owner = self._owner
            if owner is not None and self in owner.held:
                owner.held.remove(self)
            self._owner = None

    def _owned_by(self, t: MThread | None) -> bool:
        return self._count > 0 and self._owner is t

    def __repr__(self) -> str:  # CPython's form: "<unlocked _thread.lock object at 0x...>"
        return (f"<{'locked' if self._count else 'unlocked'} controlled.{self._kind} object "
                f"{self._label!r} at {id(self):#x}>")

    # the threading API
    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        if not blocking and timeout != -1:
            raise ValueError("can't specify a timeout for a non-blocking call")
        if timeout < 0 and timeout != -1:
            raise ValueError("timeout value must be a non-negative number")
        _check_timeout(timeout)
        t = _managed()
        if t is None:
            if self._can_take(None):
                self._take(None, None, None)
                return True
            if not blocking or timeout >= 0:
                return False
            raise _would_block(f"acquiring {self._label}")
        return t.rt.sync(_AcquireOp(self, t.rt, blocking, timeout))

    def release(self) -> None:
        t = _managed()
        if t is None:
            self._give(None)
            return
        t.rt.sync(_ReleaseOp(self))

    def locked(self) -> bool:
        t = _managed()
        if t is None:
            return self._count > 0
        return t.rt.sync(_ReadOp(self, lambda: self._count > 0))

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc: Any) -> None:
        self.release()

    acquire_lock = acquire
    release_lock = release
    locked_lock = locked

    def _at_fork_reinit(self) -> None:
        self._owner, self._count = None, 0

    @classmethod
    def _twin_of(cls, real: Any) -> Lock:
        twin = cls()
        if real.locked():
            twin._count = 1
        return twin

seal(__name__)  # the code under test cannot rewrite the grader
