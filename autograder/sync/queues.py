"""``queue.Queue`` operations as single steps (installed by :mod:`autograder.sync.patching`).

A queue's methods take its own ``mutex``: to everyone else, ``put``, ``get``, ``task_done``,
``join``, ``qsize`` (and 3.13's ``shutdown``) happen at one instant. Run as the standard library
writes them, each is several steps on the one mutex (take it, maybe wait and notify, give it
back), all dependent on each other: two workers over two items already make tens of thousands
of orders of those critical sections, nearly all the same. Here each call is one step, which
touches what it really touches, its queue's items or its count of unfinished tasks (keyed after
the queue's controlled mutex):

=============  ===============  =========================================================
call           touches          enabled when
=============  ===============  =========================================================
``put``        items, tasks     not full (or non-blocking, timed out, shut down)
``get``        items            not empty (or non-blocking, timed out, shut down)
``task_done``  tasks            always (raises ``ValueError`` when called too often)
``join``       tasks (reads)    no unfinished task
``qsize``...   items (reads)    always
``shutdown``   items, tasks     always
=============  ===============  =========================================================

So a ``get`` and a ``task_done`` commute, and two ``join`` calls. A ``join`` runs only at a
moment when no task is unfinished, as CPython's re-checks its loop under the mutex; a blocked
``put``/``get`` may be taken by any thread once it can run, as a woken waiter can lose the item
to a newcomer in CPython.

Only queues of the standard library's own storage (``Queue``, ``LifoQueue``, ``PriorityQueue``,
whose ``_put``/``_get``/``_qsize`` are the ``queue`` module's) are handled so; a subclass with
its own storage hooks, and every queue when the code under test touches a queue's ``mutex`` or
conditions itself, runs the standard library's code over the controlled primitives as before.
"""

from __future__ import annotations

import queue
from collections.abc import Callable
from typing import Any

from ..base._seal import Sealed, seal
from ..base.errors import EngineUsageError
from ..runtime.execution import Execution
from ..runtime.ops import Op
from ..runtime.threads import MThread
from .base import _check_timeout, _deadline, _managed
from .lock import Lock

#: The standard library's methods, as the engine was imported.
ORIGINALS = {n: vars(queue.Queue)[n] for n in (
    "put", "get", "task_done", "join", "qsize", "empty", "full", "shutdown")
    if n in vars(queue.Queue)}
#: Names whose use in the code under test turns this off (it takes the queue's locks itself).
INTERNALS = ("mutex", "not_empty", "not_full", "all_tasks_done")
_SHUT_DOWN = getattr(queue, "ShutDown", None)  # 3.13+


def _label(q: queue.Queue) -> str:
    name = q.mutex._label  # type: ignore[attr-defined]
    return name[: -len(".mutex")] if name.endswith(".mutex") else f"queue ({name})"


def _hooks_ours(q: queue.Queue) -> bool:
    """Whether ``q`` keeps its items the standard library's way (no traced storage hooks)."""
    return all(getattr(getattr(type(q), h, None), "__module__", None) == "queue"
               for h in ("_put", "_get", "_qsize"))


class _QueueOp(Op, metaclass=Sealed):
    """One call on a queue. ``execute`` returns ``(exception or None, value)``: the caller
    raises after the step is recorded."""

    __slots__ = ("q", "what", "blocking")

    def __init__(self, q: queue.Queue, what: str, write: bool, tasks: bool, items: bool,
                 rt: Execution, blocking: bool = False, timeout: float | None = None) -> None:
        base = q.mutex._key()  # type: ignore[attr-defined]
        keys = ([f"{base}:items"] if items else []) + ([f"{base}:tasks"] if tasks else [])
        super().__init__(keys[0], write, _label(q), "Queue", None)
        self.more_keys = tuple(keys[1:])
        self.q = q
        self.what = what
        self.blocking = blocking
        self.deadline = _deadline(rt, timeout) if blocking else None
        self.progress = write

    def _shut(self) -> bool:
        return bool(getattr(self.q, "is_shutdown", False))

    def _waits(self) -> bool:
        """Whether a blocking call would wait in this state (before deadline or shutdown)."""
        return False

    def enabled(self, rt: Execution, t: MThread) -> bool:
        if not self.blocking or not self._waits() or self._shut():
            return True
        return self.deadline is not None and rt.now >= self.deadline

    def event_op(self, result: Any) -> str:
        exc = result[0]
        if exc is not None and isinstance(exc, (queue.Empty, queue.Full)) and self.blocking:
            return "timeout"
        return "write" if self.write else "read"

    def blocks_on(self) -> str | None:
        return f"{self.label} ({self.what})"

    def observe(self, rt: Execution, t: MThread) -> Any:
        if self.write:
            raise EngineUsageError(f"a check between steps cannot change {self.label}")
        return self.execute(rt, t)


class _PutOp(_QueueOp, metaclass=Sealed):
    __slots__ = ("item",)

    def __init__(self, q: queue.Queue, item: Any, rt: Execution, block: bool,
                 timeout: float | None) -> None:
        super().__init__(q, "put", True, True, True, rt, block, timeout)
        self.item = item

    def _waits(self) -> bool:
        return 0 < self.q.maxsize <= self.q._qsize()  # type: ignore[attr-defined]

    def execute(self, rt: Execution, t: MThread) -> tuple[BaseException | None, Any]:
        q = self.q
        if self._shut():
            return _SHUT_DOWN(), None  # type: ignore[misc]
        if self._waits():
            return queue.Full(), None
        q._put(self.item)  # type: ignore[attr-defined]
        q.unfinished_tasks += 1
        return None, None


class _GetOp(_QueueOp, metaclass=Sealed):
    __slots__ = ()

    def __init__(self, q: queue.Queue, rt: Execution, block: bool,
                 timeout: float | None) -> None:
        super().__init__(q, "get", True, False, True, rt, block, timeout)

    def _waits(self) -> bool:
        return not self.q._qsize()  # type: ignore[attr-defined]

    def execute(self, rt: Execution, t: MThread) -> tuple[BaseException | None, Any]:
        q = self.q
        if self._waits():
            if self._shut():
                return _SHUT_DOWN(), None  # type: ignore[misc]
            return queue.Empty(), None
        return None, q._get()  # type: ignore[attr-defined]


class _TaskDoneOp(_QueueOp, metaclass=Sealed):
    __slots__ = ()

    def __init__(self, q: queue.Queue, rt: Execution) -> None:
        super().__init__(q, "task_done", True, True, False, rt)

    def execute(self, rt: Execution, t: MThread) -> tuple[BaseException | None, Any]:
        if self.q.unfinished_tasks <= 0:
            return ValueError("task_done() called too many times"), None
        self.q.unfinished_tasks -= 1
        return None, None


class _JoinOp(_QueueOp, metaclass=Sealed):
    __slots__ = ()

    def __init__(self, q: queue.Queue, rt: Execution) -> None:
        super().__init__(q, "join: every task done", False, True, False, rt, True)
        self.progress = True  # it waited for other threads' work

    def enabled(self, rt: Execution, t: MThread) -> bool:
        return not self.q.unfinished_tasks

    def execute(self, rt: Execution, t: MThread) -> tuple[BaseException | None, Any]:
        return None, None

    def blocks_on(self) -> str | None:
        return f"every task of {self.label} to be done"


class _SizeOp(_QueueOp, metaclass=Sealed):
    __slots__ = ("fn",)

    def __init__(self, q: queue.Queue, what: str, fn: Callable[[], Any], rt: Execution) -> None:
        super().__init__(q, what, False, False, True, rt)
        self.fn = fn

    def execute(self, rt: Execution, t: MThread) -> tuple[BaseException | None, Any]:
        return None, self.fn()


class _ShutdownOp(_QueueOp, metaclass=Sealed):
    __slots__ = ("immediate",)

    def __init__(self, q: queue.Queue, immediate: bool, rt: Execution) -> None:
        super().__init__(q, "shutdown", True, True, True, rt)
        self.immediate = immediate

    def execute(self, rt: Execution, t: MThread) -> tuple[BaseException | None, Any]:
        q = self.q
        q.is_shutdown = True  # type: ignore[attr-defined]
        if self.immediate:
            while q._qsize():  # type: ignore[attr-defined]
                q._get()  # type: ignore[attr-defined]
                if q.unfinished_tasks > 0:
                    q.unfinished_tasks -= 1
        return None, None


def _managed_for(q: queue.Queue) -> MThread | None:
    """The calling managed thread, when ``q``'s calls are single steps for it."""
    t = _managed()
    if t is None:
        return None
    mutex = getattr(q, "mutex", None)
    if not isinstance(mutex, Lock) or not _hooks_ours(q):
        return None
    return t


def _run(t: MThread, op: _QueueOp) -> Any:
    exc, value = t.rt.sync(op)
    if exc is not None:
        raise exc
    return value


def _put(self: queue.Queue, item: Any, block: bool = True, timeout: float | None = None) -> None:
    t = _managed_for(self)
    if t is None:
        return ORIGINALS["put"](self, item, block, timeout)
    if block and timeout is not None:
        if timeout < 0:
            raise ValueError("'timeout' must be a non-negative number")
        _check_timeout(timeout)
    return _run(t, _PutOp(self, item, t.rt, block, timeout))


def _get(self: queue.Queue, block: bool = True, timeout: float | None = None) -> Any:
    t = _managed_for(self)
    if t is None:
        return ORIGINALS["get"](self, block, timeout)
    if block and timeout is not None:
        if timeout < 0:
            raise ValueError("'timeout' must be a non-negative number")
        _check_timeout(timeout)
    return _run(t, _GetOp(self, t.rt, block, timeout))


def _task_done(self: queue.Queue) -> None:
    t = _managed_for(self)
    if t is None:
        return ORIGINALS["task_done"](self)
    return _run(t, _TaskDoneOp(self, t.rt))


def _join(self: queue.Queue) -> None:
    t = _managed_for(self)
    if t is None:
        return ORIGINALS["join"](self)
    return _run(t, _JoinOp(self, t.rt))


def _size(name: str, fn: Callable[[queue.Queue], Any]) -> Callable[[queue.Queue], Any]:
    def method(self: queue.Queue) -> Any:
        t = _managed_for(self)
        if t is None:
            return ORIGINALS[name](self)
        return _run(t, _SizeOp(self, name, lambda: fn(self), t.rt))

    method.__name__ = method.__qualname__ = name
    return method


def _shutdown(self: queue.Queue, immediate: bool = False) -> None:
    t = _managed_for(self)
    if t is None:
        return ORIGINALS["shutdown"](self, immediate)
    return _run(t, _ShutdownOp(self, immediate, t.rt))


#: The replacements of ``queue.Queue``'s methods while a run is on.
REPLACEMENTS: dict[str, Callable[..., Any]] = {
    "put": _put, "get": _get, "task_done": _task_done, "join": _join,
    "qsize": _size("qsize", lambda q: q._qsize()),
    "empty": _size("empty", lambda q: not q._qsize()),
    "full": _size("full", lambda q: 0 < q.maxsize <= q._qsize()),
}
if "shutdown" in ORIGINALS:
    REPLACEMENTS["shutdown"] = _shutdown

seal(__name__)  # the code under test cannot rewrite the grader
