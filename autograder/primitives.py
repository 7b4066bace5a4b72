"""Controlled twins of ``threading``'s primitives.

Inside a managed thread every operation is a scheduling step: the thread publishes what it is
about to do, and it runs only when the scheduler picks it and the operation is enabled (a lock is
free, an event is set, a timeout has passed on the virtual clock). Outside a managed thread (a
test's setup or final check) they act at once, and raise instead of blocking forever.
"""

from __future__ import annotations

import threading
import weakref
from _thread import TIMEOUT_MAX
from collections.abc import Callable
from typing import Any

from .base import _real
from .base._seal import Sealed, seal
from .base.errors import EngineUsageError
from .runtime.execution import Execution, MThread, controllers, registry
from .runtime.ops import Op

BrokenBarrierError = threading.BrokenBarrierError


def _managed() -> MThread | None:
    return registry.get(_real.get_ident())


def _creating_execution() -> Execution | None:
    t = registry.get(_real.get_ident())
    if t is not None:
        return t.rt
    return controllers.get(_real.get_ident())


def misuse(exc: BaseException, kind: str = "bad-release") -> BaseException:
    """Tag an exception a primitive raises for misuse, so that the verdict names it."""
    exc._autograder_kind = kind  # type: ignore[attr-defined]
    return exc


def _would_block(what: str) -> EngineUsageError:
    return EngineUsageError(
        f"{what} would wait forever here: it was called outside the threads under test "
        "(in a setup or a check), where nothing else can run.")


class Primitive(metaclass=Sealed):
    """Common bookkeeping: the creation number within its execution and a display name."""

    _kind = "Primitive"

    def __init__(self) -> None:
        rt = _creating_execution()
        # a weak reference: a primitive the code under test drops can be collected, as in CPython
        self._eid = rt.register(weakref.ref(self)) if rt is not None else 0
        self._name: str | None = None

    @property
    def _label(self) -> str:
        return self._name or f"{self._kind} {self._eid}"

    def _key(self) -> str:
        return f"o:{self._eid}" if self._eid else f"o:id{id(self)}"

    def __repr__(self) -> str:  # CPython's form, with the label: "<threading.Event at 0x..: set>"
        state = f": {self._state()}" if self._state() else ""
        return f"<controlled.{self._kind} at {id(self):#x} {self._label!r}{state}>"

    def _state(self) -> str:
        return ""


def name(obj: Any, label: str) -> Any:
    """Give a primitive the name that traces and messages show; returns ``obj``."""
    try:
        obj._name = label
    except AttributeError:
        pass
    return obj


def _check_timeout(timeout: float | None) -> None:
    """CPython's limit on a blocking wait's timeout."""
    if timeout is not None and timeout > TIMEOUT_MAX:
        raise OverflowError("timeout value is too large")


def _deadline(rt: Execution, timeout: float | None) -> float | None:
    if timeout is None or timeout < 0:
        return None
    return rt.now + timeout


class _ObjOp(Op, metaclass=Sealed):
    __slots__ = ()

    def __init__(self, obj: Primitive, write: bool = True, key: str | None = None) -> None:
        super().__init__(key or obj._key(), write, obj._label, obj._kind, obj)


# ---- Lock and RLock ------------------------------------------------------------------------------
class _AcquireOp(_ObjOp, metaclass=Sealed):
    """Take a lock, or a semaphore's permit; enabled when available or once the timeout passed."""

    __slots__ = ("blocking",)

    @property  # type: ignore[override]
    def acquire(self) -> bool:
        """A lock's untimed acquire is never enabled beside its release. A semaphore's can be
        (permits left), so it races with releases as well as with other acquires."""
        return self.obj._exclusive and self.blocking and self.deadline is None

    def __init__(self, lock: Lock | Semaphore, rt: Execution, blocking: bool,
                 timeout: float | None, key: str | None = None) -> None:
        super().__init__(lock, True, key)
        self.progress = False
        self.blocking = blocking
        self.deadline = _deadline(rt, timeout) if blocking else None

    def enabled(self, rt: Execution, t: MThread) -> bool:
        if not self.blocking or self.obj._can_take(t):
            return True
        # a timeout CPython cannot wait for raises (a semaphore's, once it would wait)
        return self.deadline is not None and (rt.now >= self.deadline
                                              or self.deadline - rt.now > TIMEOUT_MAX)

    def execute(self, rt: Execution, t: MThread) -> bool:
        lock = self.obj
        if lock._can_take(t):
            lock._take(t, rt, self)
            return True
        if self.deadline is not None and self.deadline - rt.now > TIMEOUT_MAX:
            raise OverflowError("timeout value is too large")
        return False

    def event_op(self, result: Any) -> str:
        return "acquire" if result else "timeout"

    def observe(self, rt: Execution, t: MThread) -> bool:
        return True  # a check between steps sees a consistent state: it need not take locks


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


class _ReadOp(_ObjOp, metaclass=Sealed):
    __slots__ = ("fn", "what")

    def __init__(self, obj: Primitive, fn: Callable[[], Any], what: str = "read") -> None:
        super().__init__(obj, False)
        self.fn = fn
        self.what = what

    def execute(self, rt: Execution, t: MThread) -> Any:
        return self.fn()

    def event_op(self, result: Any) -> str:
        return self.what


class Lock(Primitive, metaclass=Sealed):
    """A controlled ``threading.Lock``."""

    _kind = "Lock"
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


class RLock(Lock, metaclass=Sealed):
    """A controlled ``threading.RLock``: its owner may acquire it again."""

    _kind = "RLock"

    def _can_take(self, t: MThread | None) -> bool:
        return self._count == 0 or self._owner is t

    def _give(self, t: MThread | None) -> None:
        if self._count == 0 or self._owner is not t:
            raise misuse(RuntimeError("cannot release un-acquired lock"))
        super()._give(t)

    def _is_owned(self) -> bool:
        return self._owner_is_caller()

    def _owner_is_caller(self) -> bool:
        return self._count > 0 and self._owner is _managed()

    def locked(self) -> bool:  # Python 3.13 added RLock.locked()
        return super().locked()

    def _recursion_count(self) -> int:
        """How many times the calling thread holds the lock (0 when another thread does)."""
        return self._count if self._owner_is_caller() else 0

    def _release_save(self) -> tuple[int, MThread | None]:
        """Release the lock completely (as ``Condition.wait`` does); the state to restore."""
        t = _managed()
        if not self._owned_by(t):
            raise RuntimeError("cannot release un-acquired lock")
        count = self._count
        self._count = 1
        self.release()
        return count, t

    def _acquire_restore(self, state: tuple[int, MThread | None]) -> None:
        """Take the lock again with the recursion count ``_release_save`` returned."""
        self.acquire()
        self._count = state[0]


# ---- Semaphore -----------------------------------------------------------------------------------
class _SemReleaseOp(_ObjOp, metaclass=Sealed):
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


class Semaphore(Primitive, metaclass=Sealed):
    """A controlled ``threading.Semaphore``."""

    _kind = "Semaphore"
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


class BoundedSemaphore(Semaphore, metaclass=Sealed):
    """A controlled ``threading.BoundedSemaphore``: releasing too many times raises."""

    _kind = "BoundedSemaphore"

    def _release(self, t: MThread | None, n: int) -> None:
        if self._value + n > self._initial:
            raise misuse(ValueError("Semaphore released too many times"))
        super()._release(t, n)

    def _state(self) -> str:
        return f"value={self._value}/{self._initial}"


# ---- Event ---------------------------------------------------------------------------------------
class _EventWaiter(metaclass=Sealed):
    """One wait on an event that found it clear; ``key`` names its "signalled" flag."""

    __slots__ = ("signalled", "key")

    def __init__(self, ev: Event) -> None:
        self.signalled = False
        ev._waits += 1
        self.key = f"{ev._key()}:wait{ev._waits}"


class _EventWaitOp(_ObjOp, metaclass=Sealed):
    """Begin waiting: return at once when the flag is set (or the timeout is 0); otherwise join
    the event's waiters, whom a ``set()`` signals, in one step (CPython: with the condition held,
    check the flag, then wait on the condition). Joining the list is not a write: the order of
    two waits does not matter, since ``set()`` wakes every waiter."""

    __slots__ = ("timeout", "waiter")
    block_word = None  # always enabled

    def __init__(self, ev: Event, timeout: float | None) -> None:
        super().__init__(ev, False)
        self.timeout = timeout
        self.waiter: _EventWaiter | None = None

    def execute(self, rt: Execution, t: MThread) -> bool | None:
        ev = self.obj
        self.progress = ev._flag
        if ev._flag:
            return True
        if self.timeout is not None and self.timeout <= 0:
            return False
        _check_timeout(self.timeout)  # CPython too raises only when it would wait
        self.waiter = _EventWaiter(ev)
        ev._waiters.append(self.waiter)
        return None

    def observe(self, rt: Execution, t: MThread) -> bool | None:
        if self.obj._flag or (self.timeout is not None and self.timeout <= 0):
            return self.obj._flag
        raise EngineUsageError(f"the check would wait for {self.label}")

    def event_op(self, result: Any) -> str:
        return {True: "wake", False: "timeout", None: "wait"}[result]


class _EventWakeOp(_ObjOp, metaclass=Sealed):
    """Stop waiting: enabled once a ``set()`` signalled this wait (even if a ``clear()`` came
    after it, as in CPython), or once the timeout has passed."""

    __slots__ = ("waiter",)
    block_word = "wait"

    def __init__(self, ev: Event, waiter: _EventWaiter, rt: Execution,
                 timeout: float | None) -> None:
        super().__init__(ev, True)
        self.waiter = waiter
        self.deadline = _deadline(rt, timeout)
        if self.deadline is None:  # it only reads its own flag, which only a set changes
            self.key, self.write = waiter.key, False
        # one that can time out leaves the event's waiters: it touches the event itself

    @property  # type: ignore[override]
    def acquire(self) -> bool:
        """An untimed wake and the set that signalled it are never enabled together."""
        return self.deadline is None

    def enabled(self, rt: Execution, t: MThread) -> bool:
        return self.waiter.signalled or (self.deadline is not None and rt.now >= self.deadline)

    def execute(self, rt: Execution, t: MThread) -> bool:
        ev = self.obj
        if not self.waiter.signalled and self.waiter in ev._waiters:
            ev._waiters.remove(self.waiter)
        self.progress = self.waiter.signalled
        return self.waiter.signalled

    def event_op(self, result: Any) -> str:
        return "wake" if result else "timeout"

    def blocks_on(self) -> str | None:
        return f"{self.label} to be set"


class _EventSetOp(_ObjOp, metaclass=Sealed):
    """Set or clear the flag; a set signals every waiting thread (and touches their flags)."""

    __slots__ = ("value", "changed")

    def __init__(self, ev: Event, value: bool) -> None:
        super().__init__(ev, True)
        self.value = value
        self.changed = False

    def execute(self, rt: Execution | None, t: MThread | None) -> None:
        ev = self.obj
        self.changed = self.progress = ev._flag != self.value
        ev._flag = self.value
        if self.value and ev._waiters:
            for w in ev._waiters:
                w.signalled = True
            self.more_keys = tuple(w.key for w in ev._waiters)
            ev._waiters.clear()

    @property  # type: ignore[override]
    def release(self) -> bool:
        """A set that changed the flag enabled waits that were not enabled before it (setting a
        set event does not: nobody waits on a set event)."""
        return self.value and self.changed

    def event_op(self, result: Any) -> str:
        return "set" if self.value else "clear"


class Event(Primitive, metaclass=Sealed):
    """A controlled ``threading.Event``."""

    _kind = "Event"

    def __init__(self) -> None:
        super().__init__()
        self._flag = False
        self._waiters: list[_EventWaiter] = []
        self._waits = 0

    def _state(self) -> str:
        return "set" if self._flag else "unset"

    def is_set(self) -> bool:
        t = _managed()
        if t is None:
            return self._flag
        return t.rt.sync(_ReadOp(self, lambda: self._flag))

    isSet = is_set  # noqa: N815 - threading's old API

    def set(self) -> None:
        t = _managed()
        if t is None:
            _EventSetOp(self, True).execute(None, None)
            return
        t.rt.sync(_EventSetOp(self, True))

    def clear(self) -> None:
        t = _managed()
        if t is None:
            self._flag = False
            return
        t.rt.sync(_EventSetOp(self, False))

    def wait(self, timeout: float | None = None) -> bool:
        t = _managed()
        if t is None:
            if self._flag or timeout is not None:
                return self._flag
            raise _would_block(f"waiting on {self._label}")
        enter = _EventWaitOp(self, timeout)
        got = t.rt.sync(enter)
        if got is not None:
            return got
        assert enter.waiter is not None
        return t.rt.sync(_EventWakeOp(self, enter.waiter, t.rt, timeout))


# ---- Condition -----------------------------------------------------------------------------------
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


class Condition(Primitive, metaclass=Sealed):
    """A controlled ``threading.Condition`` (waiters are woken first come, first served)."""

    _kind = "Condition"

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


# ---- Barrier -------------------------------------------------------------------------------------
class _ArriveOp(_ObjOp, metaclass=Sealed):
    __slots__ = ()
    trace_op = "wait"

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
        super().__init__(b, True)
        self.generation = generation
        self.deadline = _deadline(rt, timeout)
        # only a pass that can time out changes the barrier (it breaks it); others just look
        self.write = self.deadline is not None

    def enabled(self, rt: Execution, t: MThread) -> bool:
        b = self.obj
        return (b._generation != self.generation or b._broken
                or (self.deadline is not None and rt.now >= self.deadline))

    def execute(self, rt: Execution, t: MThread) -> bool:
        b = self.obj
        if b._generation != self.generation:
            return self.generation not in b._reset  # a reset breaks the waiters it frees
        if not b._broken:  # the timeout passed: break the barrier for everyone
            b._broken = True
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
        else:
            if b._count or b._broken:  # the waiters of this generation leave broken
                b._reset.add(b._generation)
                b._generation += 1
            b._broken = False
        b._count = 0

    def event_op(self, result: Any) -> str:
        return {"break": "broken", "pass": "set", "reset": "clear"}[self.mode]  # reset empties it


class Barrier(Primitive, metaclass=Sealed):
    """A controlled ``threading.Barrier``."""

    _kind = "Barrier"

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
        t = _managed()
        op = _BarrierOpenOp(self, "reset")
        if t is None:
            op.execute(None, None)
        else:
            t.rt.sync(op)

    def abort(self) -> None:
        t = _managed()
        op = _BarrierOpenOp(self, "break")
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


KINDS: dict[str, type[Primitive]] = {
    "Lock": Lock, "RLock": RLock, "Semaphore": Semaphore, "BoundedSemaphore": BoundedSemaphore,
    "Event": Event, "Condition": Condition, "Barrier": Barrier,
}

seal(__name__)  # the code under test cannot rewrite the grader
