"""Threads the code under test starts: ``threading.Thread.start``/``join``/``is_alive`` and
``threading.current_thread`` inside the threads under test (installed by
:mod:`autograder.sync.patching`)."""

from __future__ import annotations

import threading
from typing import Any

from ..base import _real
from ..base._seal import Sealed, seal
from ..runtime.execution import Execution, MThread
from ..runtime.ops import Op
from .base import _creating_execution, _managed, _would_block


class _SpawnOp(Op, metaclass=Sealed):
    __slots__ = ("thread",)
    trace_op = "spawn"

    def __init__(self, thread: threading.Thread) -> None:
        super().__init__(f"t:spawn:{id(thread)}", True, thread.name, "Thread", None)
        self.thread = thread

    def execute(self, rt: Execution, t: MThread) -> MThread:
        return spawn(rt, self.thread, parent=t)


class _JoinOp(Op, metaclass=Sealed):
    __slots__ = ("child",)

    def __init__(self, child: MThread, rt: Execution, timeout: float | None) -> None:
        super().__init__(f"t:{child.tid}", False, child.name, "Thread", None)
        self.child = child
        if timeout is not None and timeout >= 0:
            self.deadline = rt.now + timeout

    def enabled(self, rt: Execution, t: MThread) -> bool:
        return self.child.finished or (self.deadline is not None and rt.now >= self.deadline)

    def execute(self, rt: Execution, t: MThread) -> bool:
        self.progress = self.child.finished
        return self.child.finished

    def event_op(self, result: Any) -> str:
        return "join" if result else "timeout"

    def blocks_on(self) -> str | None:
        return f"thread {self.label} to finish"


#: Managed threads by the ``threading.Thread`` object they run.
_by_thread_obj: dict[int, MThread] = {}


def spawn(rt: Execution, thread: threading.Thread, parent: MThread | None) -> MThread:
    """Start ``thread`` (a ``threading.Thread``) as a managed thread of ``rt``."""
    child = rt.add_thread(thread.name, thread.run, thread)
    child.spawned_at = len(rt.records) - 1 if parent is not None else None
    _by_thread_obj[id(thread)] = child
    thread._ident = child.ident  # type: ignore[attr-defined]
    thread._native_id = child.ident  # type: ignore[attr-defined]
    return child


def _thread_start(self: threading.Thread) -> None:
    t = _managed()
    if t is not None:
        if id(self) in _by_thread_obj and _by_thread_obj[id(self)].rt is t.rt:
            raise RuntimeError("threads can only be started once")
        t.rt.sync(_SpawnOp(self))
        return
    rt = _creating_execution()
    if rt is not None:  # started by a test's setup: it joins the threads under test
        spawn(rt, self, parent=None)
        return
    _real.thread_originals["start"](self)


def _thread_join(self: threading.Thread, timeout: float | None = None) -> None:
    child = _by_thread_obj.get(id(self))
    if child is None:
        return _real.thread_originals["join"](self, timeout)
    t = _managed()
    if t is None:
        if not child.finished:
            raise _would_block(f"joining {child.name}")
        return None
    if t is child:
        raise RuntimeError("cannot join current thread")
    t.rt.sync(_JoinOp(child, t.rt, timeout))
    return None


def _thread_is_alive(self: threading.Thread) -> bool:
    child = _by_thread_obj.get(id(self))
    if child is None:
        return _real.thread_originals["is_alive"](self)
    return not child.finished


def _current_thread() -> Any:
    t = _managed()
    if t is None:
        return _real.threading_originals["current_thread"]()
    return t.handle


def reset_threads() -> None:
    """Forget the managed threads of finished executions."""
    _by_thread_obj.clear()

seal(__name__)  # the code under test cannot rewrite the grader
