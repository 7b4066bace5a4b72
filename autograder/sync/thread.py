"""Threads the code under test starts: ``threading.Thread.__init__``/``start``/``join``/
``is_alive`` and ``threading.current_thread`` inside the threads under test (installed by
:mod:`autograder.sync.patching`).

A thread gets the same name in every execution, so that a schedule (thread names, one per step)
and the search's replays find it again: the ``name=`` it was given, else its parent's name and
its place among the threads that parent started (``T1.1``, ``T1.2``, ``T1.1.1``; a thread that
a setup starts: ``Thread-1``, ``Thread-2``, ...). Python's own default name (``Thread-7 (f)``)
counts threads across the whole process, so it differs from one execution to the next. A name
already taken in the execution gets a suffix (``worker#2``) in traces and schedules.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

from ..base import _real
from ..base._seal import Sealed, seal
from ..runtime.execution import Execution
from ..runtime.ops import Op
from ..runtime.threads import MThread
from .base import _creating_execution, _managed, _would_block


class _SpawnOp(Op, metaclass=Sealed):
    __slots__ = ("thread",)
    trace_op = "spawn"

    def __init__(self, thread: threading.Thread, parent: MThread, name: str) -> None:
        # keyed by where the child comes from (not by id(thread), new in every execution): the
        # same in every replay; no other step touches it
        super().__init__(f"t:spawn:{parent.tid}.{parent.children}", True, name, "Thread", None)
        self.thread = thread

    def execute(self, rt: Execution, t: MThread) -> MThread:
        child = spawn(rt, self.thread, parent=t, name=self.label)
        self.label = child.name  # with its suffix, if another thread had the name
        return child


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
#: Threads made during a run without a name: the default name Python gave each.
_default_named: weakref.WeakKeyDictionary[threading.Thread, str] = weakref.WeakKeyDictionary()


def _thread_init(self: threading.Thread, *args: Any, **kwargs: Any) -> None:
    """``Thread.__init__``, noting a thread given no name (Python's default ``Thread-N`` counts
    across executions, so the engine names it when it starts)."""
    _real.thread_originals["__init__"](self, *args, **kwargs)
    given = kwargs["name"] if "name" in kwargs else args[2] if len(args) > 2 else None
    if not given:
        _default_named[self] = self.name


def _start_name(rt: Execution, thread: threading.Thread, parent: MThread | None) -> str:
    """The name ``thread`` runs under when ``parent`` (None: the setup) starts it now: the one
    it was given, else ``<parent>.<k>`` for the parent's k-th thread (``Thread-<k>`` for the
    setup's), the same in every execution."""
    if _default_named.get(thread) != thread.name:  # given a name, or renamed since
        return thread.name
    if parent is None:
        rt.setup_children += 1
        name = f"Thread-{rt.setup_children}"
    else:
        name = f"{parent.name}.{parent.children}"
    thread.name = name  # what the code under test sees is the same in every execution too
    _default_named[thread] = name
    return name


def _unique(rt: Execution, name: str) -> str:
    """``name``, with a suffix if a thread of ``rt`` already has it."""
    taken = {t.name for t in rt.threads}
    if name not in taken:
        return name
    k = 2
    while f"{name}#{k}" in taken:
        k += 1
    return f"{name}#{k}"


def spawn(rt: Execution, thread: threading.Thread, parent: MThread | None,
          name: str | None = None) -> MThread:
    """Start ``thread`` (a ``threading.Thread``) as a managed thread of ``rt``."""
    if name is None:
        name = _start_name(rt, thread, parent)
    child = rt.add_thread(_unique(rt, name), thread.run, thread)
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
        t.children += 1
        t.rt.sync(_SpawnOp(self, t, _start_name(t.rt, self, t)))
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
