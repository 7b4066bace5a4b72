"""A controlled ``threading.Event``."""

from __future__ import annotations

from typing import Any

from ..base import _real
from ..base._seal import Sealed, seal
from ..base.errors import EngineUsageError
from ..runtime.execution import Execution
from ..runtime.threads import MThread
from .base import (
    Primitive,
    _check_timeout,
    _deadline,
    _managed,
    _ObjOp,
    _ReadOp,
    _would_block,
    primitive,
)


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


@primitive
class Event(Primitive, metaclass=Sealed):
    """A controlled ``threading.Event``."""

    _kind = "Event"
    _real_types = (_real.REAL_TYPES["Event"],)

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

    @classmethod
    def _twin_of(cls, real: Any) -> Event:
        twin = cls()
        twin._flag = real.is_set()
        return twin

seal(__name__)  # the code under test cannot rewrite the grader
