"""Record what real threads do with locks, semaphores, events and conditions.

    with record() as rec:
        ...  # create primitives and threads, run them, join them
    rec.trace  # an autograder.base.trace.Trace: time in seconds since the recording started

Under ``record()`` the ``threading`` factories ``Lock``, ``RLock``, ``Semaphore``,
``BoundedSemaphore``, ``Event`` and ``Condition`` return thin recording wrappers (``with lock:``
and explicit ``acquire()``/``release()`` alike are recorded), and threads started meanwhile record
their ``start`` and ``end``. Everything is put back exactly on exit, also after an exception.
Primitives created by the standard library and installed packages stay real (``queue.Queue``,
``concurrent.futures``, Jupyter's own threads), unless ``stdlib=True``.
"""

from __future__ import annotations

import itertools
import linecache
import os
import sys
import sysconfig
import threading
from time import perf_counter
from time import perf_counter as _now
from types import CodeType, TracebackType
from typing import Any, TypeVar

from autograder.base.trace import Event, Trace
from course.recording import wrappers
from course.recording.moments import final_state

__all__ = ["Recorder", "label", "record"]

T = TypeVar("T")

_get_ident = threading.get_ident
_getframe = sys._getframe
_FACTORIES = ("Lock", "RLock", "Semaphore", "BoundedSemaphore", "Event", "Condition")
_THREADING_FILE = os.path.normcase(os.path.abspath(threading.__file__))
_COURSE_DIR = os.path.normcase(os.path.dirname(os.path.abspath(__file__)))


def _library_dirs() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    dirs = {paths.get(k) for k in ("stdlib", "platstdlib", "purelib", "platlib")}
    dirs.update(p for p in sys.path if p.endswith(("site-packages", "dist-packages")))
    return tuple(os.path.normcase(os.path.abspath(d)) + os.sep for d in dirs if d)


def label(obj: T, name: str) -> T:
    """Name a primitive for pictures and tables (``"Lock 1"`` otherwise); returns ``obj``.

    Harmless on a primitive that is not being recorded, so lesson code can call it always; on
    the engine's primitives it sets the name that its traces show, as ``autograder.name(obj,
    label)`` does: both take the primitive first and its name second (each calls the text by the
    other's function name; nothing calls either by keyword).
    """
    if isinstance(obj, wrappers.Prim):
        if isinstance(obj, wrappers.RecCondition) and obj._lock.label == obj.label:
            obj._lock.label = name
        obj.label = name
    elif type(obj).__module__.startswith("autograder."):
        try:
            obj._name = name  # type: ignore[attr-defined]
        except AttributeError:
            pass
    return obj


class Recorder:
    """A recording in progress or done; use :func:`record` to make one."""

    def __init__(self, *, lines: bool = True, stdlib: bool = False) -> None:
        self.lines = lines
        self.stdlib = stdlib
        self._events: list[tuple[Any, ...]] = []
        self._append = self._events.append
        self._names: dict[int, str] = {}
        self._counters: dict[str, itertools.count[int]] = {}
        self._prims: list[wrappers.Prim] = []
        self._saved: dict[str, Any] = {}
        self._saved_boot: Any = None
        self._skip_cache: dict[str, bool] = {}
        self._libdirs = _library_dirs()
        self._active = False
        self._t0 = 0.0
        self._trace: Trace | None = None

    # -- lifecycle ------------------------------------------------------------------------------
    def __enter__(self) -> Recorder:
        if self._saved:
            raise RuntimeError("this recorder is already recording")
        self._saved = {name: threading.__dict__[name] for name in _FACTORIES}
        self._saved_boot = threading.Thread.__dict__["_bootstrap_inner"]
        self._t0 = perf_counter()
        self._active = True
        self._trace = None
        try:
            self._patch()
        except BaseException:
            self._restore()
            raise
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._restore()

    def _restore(self) -> None:
        self._active = False
        for name, value in self._saved.items():
            setattr(threading, name, value)
        if self._saved_boot is not None:
            threading.Thread._bootstrap_inner = self._saved_boot
        self._saved = {}
        self._saved_boot = None

    @property
    def recording(self) -> bool:
        """True between entering and leaving the ``with`` block."""
        return self._active

    # -- what wrappers call ---------------------------------------------------------------------
    def emit(self, op: str, prim: wrappers.Prim, depth: int, detail: Any = "") -> None:
        """Record one event of the calling thread (``depth`` frames up is the user's code).

        ``detail`` is text, or a tuple that ``wrappers.detail_text`` formats when the trace is
        built (formatting costs more than recording). A record holds only numbers, strings and
        code objects, which the garbage collector soon stops tracking: a long recording then
        costs it nothing.
        """
        if self._active:
            name = self._names.get(_get_ident()) or self._name_now()
            if self.lines:
                f = _getframe(depth)
                self._append((_now(), name, op, prim._idx, detail, f.f_code, f.f_lineno))
            else:
                self._append((_now(), name, op, prim._idx, detail, None, None))

    def _name_now(self) -> str:
        name = self._names[_get_ident()] = threading.current_thread().name
        return name

    def _thread_event(self, thread: threading.Thread, op: str, detail: str = "") -> None:
        if self._active:
            if op == "start":
                self._names[threading.get_ident()] = thread.name
            self._events.append((perf_counter(), thread.name, op, 0, detail, None, None))

    # -- patching -------------------------------------------------------------------------------
    def _skip(self, depth: int) -> bool:
        """True when the primitive is made by library code (stays real, not recorded)."""
        filename = sys._getframe(depth).f_code.co_filename
        skip = self._skip_cache.get(filename)
        if skip is None:
            path = os.path.normcase(os.path.abspath(filename))
            if path == _THREADING_FILE:
                skip = True
            elif self.stdlib or path.startswith(_COURSE_DIR + os.sep):
                skip = False
            else:
                skip = path.startswith(self._libdirs)
            self._skip_cache[filename] = skip
        return skip

    def _label(self, kind: str) -> str:
        counter = self._counters.setdefault(kind, itertools.count(1))
        return f"{kind} {next(counter)}"

    def _keep(self, prim: wrappers.Prim) -> Any:
        self._prims.append(prim)
        prim._idx = len(self._prims)  # 1, 2, ...: 0 is "no primitive"
        return prim

    def _adopt(self, lock: Any) -> wrappers._Mutex:
        """Wrap a lock made before the recording, so a Condition over it can be recorded."""
        if isinstance(lock, wrappers._Mutex):
            return lock
        if hasattr(lock, "_is_owned"):
            return self._keep(wrappers.RecRLock(self, lock, self._label("RLock")))
        return self._keep(wrappers.RecLock(self, lock, self._label("Lock")))

    def _patch(self) -> None:
        saved = self._saved
        real_lock, real_rlock = saved["Lock"], saved["RLock"]
        real_sem, real_bsem = saved["Semaphore"], saved["BoundedSemaphore"]
        real_event, real_cond = saved["Event"], saved["Condition"]
        rec = self

        def Lock() -> Any:
            if rec._skip(2):
                return real_lock()
            return rec._keep(wrappers.RecLock(rec, real_lock(), rec._label("Lock")))

        def RLock(*args: Any, **kwargs: Any) -> Any:
            if rec._skip(2):
                return real_rlock(*args, **kwargs)
            return rec._keep(wrappers.RecRLock(rec, real_rlock(), rec._label("RLock")))

        def Semaphore(value: int = 1) -> Any:
            if rec._skip(2):
                return real_sem(value)
            return rec._keep(
                wrappers.RecSemaphore(rec, real_sem(value), rec._label("Semaphore"), value))

        def BoundedSemaphore(value: int = 1) -> Any:
            if rec._skip(2):
                return real_bsem(value)
            return rec._keep(wrappers.RecBoundedSemaphore(
                rec, real_bsem(value), rec._label("BoundedSemaphore"), value))

        def Event() -> Any:
            if rec._skip(2):
                return real_event()
            return rec._keep(wrappers.RecEvent(rec, real_event(), rec._label("Event")))

        def Condition(lock: Any = None) -> Any:
            if rec._skip(2):
                return real_cond(lock)
            name = rec._label("Condition")
            if lock is None:
                wrapped: wrappers._Mutex = rec._keep(wrappers.RecRLock(rec, real_rlock(), name))
            else:
                wrapped = rec._adopt(lock)
            return rec._keep(wrappers.RecCondition(rec, real_cond(wrapped._real), name, wrapped))

        for fn in (Lock, RLock, Semaphore, BoundedSemaphore, Event, Condition):
            fn.__qualname__ = fn.__name__
            fn.__module__ = "threading"
            original = saved[fn.__name__]
            fn.__doc__ = original.__doc__
            if isinstance(original, type):
                # threading's own classes refer to each other by these names, as in
                # BoundedSemaphore.__init__: "Semaphore.__init__(self, value)".
                fn.__init__ = original.__init__  # type: ignore[misc]
            setattr(threading, fn.__name__, fn)

        real_boot = self._saved_boot

        def _bootstrap_inner(thread: threading.Thread) -> None:
            rec._thread_event(thread, "start")
            run = thread.run

            def recorded_run() -> None:
                try:
                    run()
                except BaseException as exc:
                    rec._thread_event(thread, "error", f"{type(exc).__name__}: {exc}")
                    raise

            thread.run = recorded_run  # type: ignore[method-assign]
            try:
                real_boot(thread)
            finally:
                thread.__dict__.pop("run", None)
                rec._thread_event(thread, "end")

        threading.Thread._bootstrap_inner = _bootstrap_inner  # type: ignore[method-assign]

    # -- the result ------------------------------------------------------------------------------
    @property
    def trace(self) -> Trace:
        """What was recorded so far, as a Trace (``time`` in seconds since the start)."""
        if self._trace is not None and not self._active:
            return self._trace
        trace = self._build()
        if not self._active:
            self._trace = trace
        return trace

    def _build(self) -> Trace:
        raw = sorted(self._events, key=lambda r: r[0])
        prims: list[wrappers.Prim | None] = [None, *self._prims]
        sources: dict[tuple[str, int], str] = {}
        events: list[Event] = []
        threads: list[str] = []
        seen: set[str] = set()
        for step, (t, name, op, idx, detail, code, line) in enumerate(raw):
            prim = prims[idx]
            if name not in seen:
                seen.add(name)
                threads.append(name)
            filename = function = None
            source = ""
            if isinstance(code, CodeType):
                filename, function = code.co_filename, code.co_name
                key = (filename, line)
                if key not in sources:
                    sources[key] = linecache.getline(filename, line).strip()
                source = sources[key]
            events.append(Event(
                step=step, thread=name, op=op,
                obj=prim.label if prim is not None else None,
                kind=prim.kind if prim is not None else None,
                obj_id=idx or None,
                line=line, filename=filename, function=function, source=source,
                time=t - self._t0,
                detail=detail if isinstance(detail, str) else wrappers.detail_text(detail),
            ))
        trace = Trace(events=events, threads=threads, time_unit="seconds")
        trace.blocked, trace.holding, trace.cycle = final_state(trace)
        if trace.cycle:
            trace.outcome = "deadlock"
        elif any(e.op == "error" for e in events):
            trace.outcome = "exception"
        return trace


def record(*, lines: bool = True, stdlib: bool = False) -> Recorder:
    """A context manager recording the threading primitives created inside it.

    ``lines``: note each event's source line (a little slower). ``stdlib``: record primitives
    made by the standard library too (``queue.Queue``'s lock and conditions, ...).
    """
    return Recorder(lines=lines, stdlib=stdlib)


# ``course.record`` is the function above (the package exports it), and the recorder's other names
# ride along on it: ``course.record.label(lock, "a")`` works as well as ``course.label``.
record.label = label  # type: ignore[attr-defined]
record.Recorder = Recorder  # type: ignore[attr-defined]
