"""A controlled ``threading.Condition``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..base import _real
from ..base._seal import Sealed, seal
from ..runtime.execution import Execution
from ..runtime.threads import MThread
from .base import (
    Primitive,
    _check_timeout,
    _deadline,
    _managed,
    _ObjOp,
    _would_block,
    misuse,
    primitive,
    twin,
)
from .lock import Lock
from .rlock import RLock


class _Waiter(metaclass=Sealed):
    """One wait on a condition; ``key`` names its "notified" flag for the race analysis."""

    __slots__ = ("thread", "notified", "key")

    def __init__(self, thread: MThread, cond: Condition) -> None:
        self.thread = thread
        self.notified = False
        cond._waits += 1
        self.key = f"{cond._key()}:wait{cond._waits}"


class _CondWaitOp(_ObjOp, metaclass=Sealed):
    """Begin waiting: release the lock (fully) and join the waiters, in one step."""

    __slots__ = ("waiter", "saved")
    trace_op = "wait"
    release = True

    def __init__(self, cond: Condition, waiter: _Waiter) -> None:
        super().__init__(cond, True, cond._lock._key())
        self.waiter = waiter
        self.saved = 0

    def execute(self, rt: Execution, t: MThread) -> None:
        cond = self.obj
        lock = cond._lock
        if not lock._owned_by(t):
            raise misuse(RuntimeError("cannot wait on un-acquired lock"))
        self.saved = lock._count
        lock._count = 1
        lock._give(t)
        cond._waiters.append(self.waiter)
        rt.emit(t, "release", self, obj=lock._label, kind=lock._kind, obj_id=lock._eid)


class _CondWakeOp(_ObjOp, metaclass=Sealed):
    """Stop waiting: enabled once notified, or once the timeout has passed."""

    __slots__ = ("waiter",)
    block_word = None  # the wait op before it already said so


    def __init__(self, cond: Condition, waiter: _Waiter, rt: Execution,
                 timeout: float | None) -> None:
        super().__init__(cond, True)
        self.waiter = waiter
        self.deadline = _deadline(rt, timeout)
        if self.deadline is None:  # it only reads its own flag, which only a notify sets
            self.key, self.write = waiter.key, False
        # one that can time out leaves the queue: it touches the condition itself

    @property  # type: ignore[override]
    def acquire(self) -> bool:
        """An untimed wake and the notify that woke it are never enabled together."""
        return self.deadline is None

    def enabled(self, rt: Execution, t: MThread) -> bool:
        return self.waiter.notified or (self.deadline is not None and rt.now >= self.deadline)

    def execute(self, rt: Execution, t: MThread) -> bool:
        if not self.waiter.notified and self.waiter in self.obj._waiters:
            self.obj._waiters.remove(self.waiter)
        self.progress = self.waiter.notified
        return self.waiter.notified

    def event_op(self, result: Any) -> str:
        return "wake" if result else "timeout"

    def blocks_on(self) -> str | None:
        return f"a notify on {self.label}"


class _NotifyOp(_ObjOp, metaclass=Sealed):
    """Wake waiters; once run, it also touches the flag of each waiter it woke."""

    __slots__ = ("n",)
    trace_op = "notify"
    release = True

    def __init__(self, cond: Condition, n: int | None) -> None:
        super().__init__(cond, True)
        self.n = n

    def execute(self, rt: Execution, t: MThread) -> None:
        cond = self.obj
        if not cond._lock._owned_by(t):
            raise misuse(RuntimeError("cannot notify on un-acquired lock"))
        waiters = cond._waiters if self.n is None else cond._waiters[: self.n]
        woken = list(waiters)
        for w in woken:
            w.notified = True
            cond._waiters.remove(w)
        self.more_keys = tuple(w.key for w in woken)


@primitive
class Condition(Primitive, metaclass=Sealed):
    """A controlled ``threading.Condition`` (waiters are woken first come, first served)."""

    _kind = "Condition"
    _real_types = (_real.REAL_TYPES["Condition"],)

    def __init__(self, lock: Any = None) -> None:
        super().__init__()
        if lock is None:
            lock = RLock()
        if not isinstance(lock, Lock):
            raise TypeError(
                "Condition() needs a lock created by threading.Lock() or threading.RLock(); "
                f"got {type(lock).__name__}")
        self._lock = lock
        self._waiters: list[_Waiter] = []
        self._waits = 0

    @property
    def _label(self) -> str:  # type: ignore[override]
        return self._name or f"Condition on {self._lock._label}"

    def __repr__(self) -> str:  # CPython's form: "<Condition(<unlocked ... RLock ...>, 0)>"
        return f"<controlled.Condition({self._lock!r}, {len(self._waiters)})>"

    def acquire(self, *args: Any, **kwargs: Any) -> bool:
        return self._lock.acquire(*args, **kwargs)

    def release(self) -> None:
        self._lock.release()

    def __enter__(self) -> bool:
        return self._lock.acquire()

    def __exit__(self, *exc: Any) -> None:
        self._lock.release()

    def _is_owned(self) -> bool:
        return self._lock._owned_by(_managed())

    def wait(self, timeout: float | None = None) -> bool:
        t = _managed()
        if t is None:
            raise _would_block(f"waiting on {self._label}")
        if self._is_owned():  # CPython raises once it has released the lock to wait
            _check_timeout(timeout)
        waiter = _Waiter(t, self)
        wait_op = _CondWaitOp(self, waiter)
        t.rt.sync(wait_op)
        notified = False
        try:
            notified = t.rt.sync(_CondWakeOp(self, waiter, t.rt, timeout))
        finally:
            if not t.rt.aborting:
                self._lock.acquire()
                self._lock._count = wait_op.saved
        return notified

    def wait_for(self, predicate: Callable[[], Any], timeout: float | None = None) -> Any:
        t = _managed()
        endtime = None
        waittime = timeout
        result = predicate()
        while not result:
            if waittime is not None:
                now = t.rt.now if t is not None else 0.0
                if endtime is None:
                    endtime = now + waittime
                else:
                    waittime = endtime - now
                    if waittime <= 0:
                        break
            self.wait(waittime)
            result = predicate()
        return result

    def notify(self, n: int = 1) -> None:
        t = _managed()
        if t is None:
            if not self._lock._count:
                raise misuse(RuntimeError("cannot notify on un-acquired lock"))
            for w in self._waiters[:n]:
                w.notified = True
            del self._waiters[:n]
            return
        t.rt.sync(_NotifyOp(self, n))

    def notify_all(self) -> None:
        t = _managed()
        if t is None:
            self.notify(len(self._waiters))
            return
        t.rt.sync(_NotifyOp(self, None))

    notifyAll = notify_all  # noqa: N815 - threading's old API

    @classmethod
    def _twin_of(cls, real: Any) -> Condition:
        return cls(twin(real._lock))

seal(__name__)  # the code under test cannot rewrite the grader
