"""Puts the controlled primitives, threads and virtual clock in place for a run, and back after.

During a run, ``threading.Lock`` and friends create controlled primitives when called from the
code under test (and real ones when called from any other thread, such as the kernel's);
``threading.Thread.start``/``join``/``is_alive`` manage threads the code under test starts; and
``time.sleep``/``monotonic``/``time``/``perf_counter`` run on the virtual clock. Student state
that already holds real primitives (a module-level ``lock = threading.Lock()``, an object built
before the engine was imported, ``from threading import Lock``) is given controlled twins.
"""

from __future__ import annotations

import queue
import sys
import threading
import time
import types
from collections.abc import Callable, Iterable
from typing import Any

from ..base import _real
from ..base._seal import Sealed, seal
from ..runtime import tracing
from ..runtime.execution import registry
from .base import KINDS, _creating_execution, misuse, twin_class
from .clock import TIME_REPLACEMENTS
from .condition import Condition
from .lock import Lock
from .queues import REPLACEMENTS as QUEUE_REPLACEMENTS
from .thread import (
    _current_thread,
    _thread_init,
    _thread_is_alive,
    _thread_join,
    _thread_start,
    spawn,
)
from .thread import reset_threads as reset_threads


def _factory(kind: str) -> Callable[..., Any]:
    controlled = KINDS[kind]
    real = _real.threading_originals[kind]

    def make(*args: Any, **kwargs: Any) -> Any:
        if _creating_execution() is not None:
            return controlled(*args, **kwargs)
        return real(*args, **kwargs)

    make.__name__ = make.__qualname__ = kind
    make.__doc__ = f"threading.{kind}, controlled by the grader inside the threads under test."
    return make


FACTORIES = {kind: _factory(kind) for kind in KINDS}


def _guarded_settrace(real: Callable[..., Any]) -> Callable[..., Any]:
    def settrace(*args: Any, **kwargs: Any) -> Any:
        if _creating_execution() is not None:
            raise misuse(PermissionError(
                "the grader controls tracing during this test: sys.settrace/setprofile "
                "cannot be called from the code under test"), "tampering")
        return real(*args, **kwargs)

    settrace.__name__ = real.__name__
    return settrace


# ---- installing and restoring --------------------------------------------------------------------
class Patches(metaclass=Sealed):
    """Everything the engine replaces for the duration of one exploration."""

    def __init__(self, atomic_queues: bool = True) -> None:
        #: Whether ``queue.Queue`` calls are single steps (see :mod:`autograder.sync.queues`).
        self.atomic_queues = atomic_queues
        self._saved: list[tuple[Any, str, Any, bool]] = []  # (owner, name, old, was_attr)
        self._expected: list[tuple[Any, str, Any]] = []
        self._twins: list[tuple[Any, str, Any]] = []  # (container, key, real object)
        self._queues: list[tuple[queue.Queue, dict[str, Any]]] = []  # real locks of queues
        self._scanned = False

    def _set(self, owner: Any, name: str, value: Any) -> None:
        if isinstance(owner, dict):
            self._saved.append((owner, name, owner.get(name), name in owner))
            owner[name] = value
        else:
            had = name in getattr(owner, "__dict__", {}) or hasattr(owner, name)
            self._saved.append((owner, name, getattr(owner, name, None), had))
            setattr(owner, name, value)
        self._expected.append((owner, name, value))

    def install(self) -> None:
        """Replace the ``threading``/``time``/``queue`` entry points."""
        for kind, make in FACTORIES.items():
            self._set(threading, kind, make)
        self._set(threading, "current_thread", _current_thread)
        self._set(threading, "currentThread", _current_thread)
        for name, fn in TIME_REPLACEMENTS.items():
            self._set(time, name, fn)
        if _real.queue_time is not None:
            self._set(queue, "time", TIME_REPLACEMENTS["monotonic"])
        cls = _real.ThreadClass
        self._set(cls, "__init__", _thread_init)
        self._set(cls, "start", _thread_start)
        self._set(cls, "join", _thread_join)
        self._set(cls, "is_alive", _thread_is_alive)
        if self.atomic_queues:
            for name, fn in QUEUE_REPLACEMENTS.items():
                self._set(queue.Queue, name, fn)
        self._set(sys, "settrace", _guarded_settrace(sys.settrace))
        self._set(sys, "setprofile", _guarded_settrace(sys.setprofile))
        self._set(threading, "settrace", _guarded_settrace(threading.settrace))
        self._set(threading, "setprofile", _guarded_settrace(threading.setprofile))
        tracing.prepare()

    def substitute(self, namespaces: Iterable[dict[str, Any]]) -> None:
        """Point names in the student's namespaces at controlled twins (new twins each call)."""
        if self._scanned:
            for container, key, real in self._twins:
                self._put(container, key, _twin(real))
            return
        self._scanned = True
        originals = _originals_map()
        for ns in namespaces:
            for name, value in list(ns.items()):
                if name.startswith("__"):
                    continue
                repl = originals.get(id(value))
                if repl is not None and value is not repl:
                    self._set(ns, name, repl)
                    continue
                self._scan_value(ns, name, value, depth=0)
                if getattr(value, "__module__", None) == ns.get("__name__"):
                    self._scan_definition(value, originals)
        for container, key, real in self._twins:
            self._put(container, key, _twin(real))

    def _scan_definition(self, value: Any, originals: dict[int, Any]) -> None:
        """A class's attributes (``lock = threading.Lock()`` in a class body) and functions'
        default arguments (``def __init__(self, make=threading.Lock)``)."""
        functions = [value] if isinstance(value, types.FunctionType) else []
        if isinstance(value, type):
            for k, v in list(vars(value).items()):
                if _is_real_primitive(v):
                    self._twins.append((value, ("attr", k), v))
                elif isinstance(v, (staticmethod, classmethod)):
                    functions.append(v.__func__)
                elif isinstance(v, types.FunctionType):
                    functions.append(v)
        for fn in functions:
            defaults = fn.__defaults__ or ()
            if any(id(d) in originals for d in defaults):
                self._set(fn, "__defaults__", tuple(originals.get(id(d), d) for d in defaults))

    def _scan_value(self, container: Any, key: Any, value: Any, depth: int) -> None:
        if _is_real_primitive(value) or isinstance(value, queue.Queue):
            if not any(c is container and k == key for c, k, _ in self._twins):
                self._twins.append((container, key, value))
                if isinstance(value, queue.Queue):
                    self._queues.append((value, {n: getattr(value, n) for n in _QUEUE_LOCKS}))
            return
        if depth >= 2 or isinstance(value, (type, types.ModuleType, types.FunctionType, str,
                                            bytes, int, float)):
            return
        if isinstance(value, dict) and depth == 0:
            for k, v in list(value.items()):
                self._scan_value(value, k, v, depth + 1)
        elif isinstance(value, list) and depth == 0:
            for i, v in enumerate(value):
                self._scan_value(value, i, v, depth + 1)
        elif hasattr(value, "__dict__") and tracing.is_traced_file(
                getattr(sys.modules.get(type(value).__module__), "__file__", None) or "<string>"):
            for k, v in list(vars(value).items()):
                self._scan_value(value, ("attr", k), v, depth + 1)

    def _put(self, container: Any, key: Any, value: Any) -> None:
        if isinstance(key, tuple) and key[0] == "attr":
            setattr(container, key[1], value)
        else:
            container[key] = value

    def tampered(self) -> list[str]:
        """What the code under test replaced among the engine's patches."""
        found = []
        for owner, name, value in self._expected:
            current = owner.get(name) if isinstance(owner, dict) else getattr(owner, name, None)
            if current is not value:
                where = owner.__name__ if hasattr(owner, "__name__") else "its namespace"
                found.append(f"{where}.{name}")
        return found

    def reinstall(self) -> None:
        """Put every patch back in place (the code under test may have replaced some)."""
        for owner, name, value in self._expected:
            if isinstance(owner, dict):
                owner[name] = value
            else:
                setattr(owner, name, value)

    def uninstall(self) -> None:
        """Restore everything, in reverse order, including real primitives in student state."""
        for container, key, real in self._twins:
            self._put(container, key, real)
        self._twins.clear()
        for q, saved in self._queues:
            for n, v in saved.items():
                setattr(q, n, v)
        self._queues.clear()
        self._scanned = False
        for owner, name, old, had in reversed(self._saved):
            if isinstance(owner, dict):
                if had:
                    owner[name] = old
                else:
                    owner.pop(name, None)
            elif had:
                setattr(owner, name, old)
            else:
                try:
                    delattr(owner, name)
                except AttributeError:
                    pass
        self._saved.clear()
        self._expected.clear()


def _originals_map() -> dict[int, Any]:
    """Real factories and clock functions a student may have imported by name."""
    found: dict[int, Any] = {}
    for kind, make in FACTORIES.items():
        found[id(_real.threading_originals[kind])] = make
    found[id(_real.allocate_lock)] = FACTORIES["Lock"]
    for name, fn in TIME_REPLACEMENTS.items():
        found[id(_real.time_originals[name])] = fn
    found[id(_real.threading_originals["current_thread"])] = _current_thread
    return found


def _is_real_primitive(value: Any) -> bool:
    return twin_class(value) is not None


def _twin(real: Any) -> Any:
    """A fresh controlled primitive in the state ``real`` is in now (from the registry)."""
    if isinstance(real, queue.Queue):
        return _queue_twin(real)
    klass = twin_class(real)
    return real if klass is None else klass._twin_of(real)


_QUEUE_LOCKS = ("mutex", "not_empty", "not_full", "all_tasks_done")


def _queue_twin(q: queue.Queue) -> queue.Queue:
    """The same queue, its locks replaced by controlled ones (restored by ``uninstall``)."""
    mutex = Lock()
    q.mutex = mutex  # type: ignore[assignment]
    q.not_empty = Condition(mutex)  # type: ignore[assignment]
    q.not_full = Condition(mutex)  # type: ignore[assignment]
    q.all_tasks_done = Condition(mutex)  # type: ignore[assignment]
    return q


__all__ = ["Patches", "spawn", "reset_threads", "registry"]

seal(__name__)  # the code under test cannot rewrite the grader
