"""Thin recording wrappers around the real ``threading`` primitives.

Each wrapper holds the real primitive in ``_real`` and reports what a thread does with it to a
recorder through ``rec.emit(op, prim, depth, detail)``, ``depth`` being how many frames up from
``emit`` the student's code is. The rule that keeps a timeline honest: ``acquire`` is reported
after the real acquire succeeded and ``release`` before the real release, so two holds of one
mutex never overlap in recorded time. ``block`` is reported only when a non-blocking attempt failed
first, i.e. when the thread really had to wait.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol


class Emitter(Protocol):
    """What a wrapper reports to (the recorder)."""

    def emit(self, op: str, prim: Prim, depth: int, detail: str = "") -> None: ...


class Prim:
    """Base of every wrapper: the recorder, the real primitive and a label."""

    kind = "Lock"
    __slots__ = ("_rec", "_real", "label", "_idx", "__weakref__")

    def __init__(self, rec: Emitter, real: Any, label: str) -> None:
        self._rec = rec
        self._real = real
        self.label = label
        self._idx = 0  # its number in the recording (events hold numbers, not objects)

    def __repr__(self) -> str:
        return f"<recorded {self.kind} {self.label!r}>"

    def _at_fork_reinit(self) -> None:
        self._real._at_fork_reinit()


def detail_text(detail: tuple) -> str:
    """The words of a detail recorded as a tuple (formatting is left for later: it is slow)."""
    if detail and detail[0] == "left":
        return f"{detail[1]} of {detail[2]} left"
    return " ".join(str(x) for x in detail)


def _after(timeout: float | None) -> str:
    return f"after {timeout:g} s" if timeout is not None and timeout >= 0 else ""


class _Mutex(Prim):
    """What Lock and RLock share: acquire with a non-blocking probe first."""

    __slots__ = ()

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        return self._acquire(blocking, timeout, 3)

    def __enter__(self) -> bool:
        return self._acquire(True, -1, 3)

    def release(self) -> None:
        self._release(3)

    def __exit__(self, *exc: object) -> None:
        self._release(3)

    def _acquire(self, blocking: bool, timeout: float, depth: int) -> bool:
        real = self._real
        if real.acquire(False):
            self._got(depth + 1)
            return True
        if not blocking:
            self._rec.emit("timeout", self, depth, "not available (non-blocking)")
            return False
        self._rec.emit("block", self, depth)
        if real.acquire(True, timeout):
            self._got(depth + 1)
            return True
        self._rec.emit("timeout", self, depth, _after(timeout))
        return False

    def _got(self, depth: int) -> None:
        self._rec.emit("acquire", self, depth)

    def _release(self, depth: int) -> None:
        raise NotImplementedError

    def _held_depth(self) -> int:
        return 1

    def _set_depth(self, n: int) -> None:
        pass

    # threading.Condition uses these when a lock offers them (a real Condition over a wrapper).
    def _release_save(self) -> int:
        n = self._held_depth()
        for _ in range(n):
            self._rec.emit("release", self, 3, "condition wait")
        self._set_depth(0)
        return (self._real._release_save() if hasattr(self._real, "_release_save")
                else self._real.release(), n)

    def _acquire_restore(self, saved: Any) -> None:
        state, n = saved
        if hasattr(self._real, "_acquire_restore"):
            self._real._acquire_restore(state)
        else:
            self._real.acquire()
        self._set_depth(n)
        for _ in range(n):
            self._rec.emit("acquire", self, 3, "condition wait returns")


class RecLock(_Mutex):
    """``threading.Lock``."""

    kind = "Lock"
    __slots__ = ()

    # The uncontended paths, inlined: they are what a recording costs most of the time.
    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        if self._real.acquire(False):
            self._rec.emit("acquire", self, 2)
            return True
        return self._acquire(blocking, timeout, 3)

    def __enter__(self) -> bool:
        if self._real.acquire(False):
            self._rec.emit("acquire", self, 2)
            return True
        return self._acquire(True, -1, 3)

    def release(self) -> None:
        real = self._real
        if real.locked():
            self._rec.emit("release", self, 2)
        real.release()

    def __exit__(self, *exc: object) -> None:
        real = self._real
        if real.locked():
            self._rec.emit("release", self, 2)
        real.release()

    def _release(self, depth: int) -> None:
        if self._real.locked():
            self._rec.emit("release", self, depth)
        self._real.release()

    def locked(self) -> bool:
        return self._real.locked()

    def _is_owned(self) -> bool:
        return self._real.locked()


class RecRLock(_Mutex):
    """``threading.RLock``: every acquire and release is reported, the nesting in ``detail``."""

    kind = "RLock"
    __slots__ = ("_depth",)

    def __init__(self, rec: Emitter, real: Any, label: str) -> None:
        super().__init__(rec, real, label)
        self._depth = 0  # changed only by the owning thread

    def _got(self, depth: int) -> None:
        self._depth += 1
        self._rec.emit("acquire", self, depth,
                       ("re-entered, depth", self._depth) if self._depth > 1 else "")

    def _release(self, depth: int) -> None:
        if self._real._is_owned():
            self._depth -= 1
            self._rec.emit("release", self, depth,
                           ("still held, depth", self._depth) if self._depth else "")
        self._real.release()

    def _held_depth(self) -> int:
        return self._depth

    def _set_depth(self, n: int) -> None:
        self._depth = n

    def locked(self) -> bool:
        if self._real.acquire(False):
            self._real.release()
            return False
        return True

    def _is_owned(self) -> bool:
        return self._real._is_owned()

    def _at_fork_reinit(self) -> None:
        self._real._at_fork_reinit()
        self._depth = 0


class RecSemaphore(Prim):
    """``threading.Semaphore``; ``detail`` of an acquire says how many permits are left."""

    kind = "Semaphore"
    __slots__ = ("initial",)

    def __init__(self, rec: Emitter, real: Any, label: str, initial: int) -> None:
        super().__init__(rec, real, label)
        self.initial = initial

    def acquire(self, blocking: bool = True, timeout: float | None = None) -> bool:
        return self._acquire(blocking, timeout, 3)

    def __enter__(self) -> bool:
        return self._acquire(True, None, 3)

    def release(self, n: int = 1) -> None:
        self._release(n, 3)

    def __exit__(self, *exc: object) -> None:
        self._release(1, 3)

    def _acquire(self, blocking: bool, timeout: float | None, depth: int) -> bool:
        real = self._real
        if real.acquire(False):
            self._rec.emit("acquire", self, depth, self._left())
            return True
        if not blocking:
            self._rec.emit("timeout", self, depth, "no permit left (non-blocking)")
            return False
        self._rec.emit("block", self, depth, "no permit left")
        if real.acquire(True, timeout):
            self._rec.emit("acquire", self, depth, self._left())
            return True
        self._rec.emit("timeout", self, depth, _after(timeout))
        return False

    def _left(self) -> tuple:
        return ("left", self._real._value, self.initial)

    def _release(self, n: int, depth: int) -> None:
        real = self._real
        limit = getattr(real, "_initial_value", None)
        if limit is None or real._value + n <= limit:  # else BoundedSemaphore raises
            for _ in range(n):
                self._rec.emit("release", self, depth)
        real.release(n)

    @property
    def _value(self) -> int:
        return self._real._value


class RecBoundedSemaphore(RecSemaphore):
    """``threading.BoundedSemaphore``."""

    kind = "BoundedSemaphore"
    __slots__ = ()


class RecEvent(Prim):
    """``threading.Event``: a wait that returns at once is a lone ``wake`` ("already set")."""

    kind = "Event"
    __slots__ = ()

    def wait(self, timeout: float | None = None) -> bool:
        real = self._real
        if real.is_set():
            self._rec.emit("wake", self, 2, "already set")
            return True
        self._rec.emit("wait", self, 2)
        if real.wait(timeout):
            self._rec.emit("wake", self, 2)
            return True
        self._rec.emit("timeout", self, 2, _after(timeout))
        return False

    def set(self) -> None:
        self._rec.emit("set", self, 2)
        self._real.set()

    def clear(self) -> None:
        self._rec.emit("clear", self, 2)
        self._real.clear()

    def is_set(self) -> bool:
        return self._real.is_set()

    isSet = is_set


class RecCondition(Prim):
    """``threading.Condition`` over a recorded lock; its waits are reported on the condition.

    The real condition is built over the *real* lock; this wrapper reports the lock's release
    before a wait and its re-acquire after it, so the lock's timeline stays right.
    """

    kind = "Condition"
    __slots__ = ("_lock",)

    def __init__(self, rec: Emitter, real: Any, label: str, lock: _Mutex) -> None:
        super().__init__(rec, real, label)
        self._lock = lock

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        return self._lock._acquire(blocking, timeout, 3)

    def __enter__(self) -> bool:
        return self._lock._acquire(True, -1, 3)

    def release(self) -> None:
        self._lock._release(3)

    def __exit__(self, *exc: object) -> None:
        self._lock._release(3)

    def wait(self, timeout: float | None = None) -> bool:
        return self._wait(timeout, 3)

    def _wait(self, timeout: float | None, depth: int) -> bool:
        if not self._real._is_owned():
            raise RuntimeError("cannot wait on un-acquired lock")
        lock, rec = self._lock, self._rec
        n = lock._held_depth()
        for _ in range(n):
            rec.emit("release", lock, depth, f"waits on {self.label}")
        lock._set_depth(0)
        rec.emit("wait", self, depth)
        try:
            ok = self._real.wait(timeout)
        finally:
            lock._set_depth(n)
        rec.emit("wake" if ok else "timeout", self, depth, "" if ok else _after(timeout))
        for _ in range(n):
            rec.emit("acquire", lock, depth, f"after waiting on {self.label}")
        return ok

    def wait_for(self, predicate: Callable[[], Any], timeout: float | None = None) -> Any:
        # threading.Condition.wait_for, calling the recorded wait.
        endtime = None
        waittime = timeout
        result = predicate()
        while not result:
            if waittime is not None:
                if endtime is None:
                    endtime = time.monotonic() + waittime
                else:
                    waittime = endtime - time.monotonic()
                    if waittime <= 0:
                        break
            self._wait(waittime, 3)
            result = predicate()
        return result

    def notify(self, n: int = 1) -> None:
        self._rec.emit("notify", self, 2, "one waiter" if n == 1 else f"{n} waiters")
        self._real.notify(n)

    def notify_all(self) -> None:
        self._rec.emit("notify", self, 2, "all waiters")
        self._real.notify_all()

    notifyAll = notify_all

    def _is_owned(self) -> bool:
        return self._real._is_owned()
