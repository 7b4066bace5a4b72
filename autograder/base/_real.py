"""The real primitives, captured when the engine is imported, before any code can patch them."""

from __future__ import annotations

import _thread
import queue
import threading
import time

allocate_lock = _thread.allocate_lock
start_new_thread = _thread.start_new_thread
get_ident = _thread.get_ident
get_native_id = _thread.get_native_id
RealLockType = _thread.LockType
RealRLockType = type(_thread.RLock()) if hasattr(_thread, "RLock") else type(threading.RLock())

monotonic = time.monotonic
perf_counter = time.perf_counter
sleep = time.sleep
time_time = time.time

#: Names in ``threading`` and ``time`` (and ``queue``) that the engine replaces during a run,
#: with the objects they held when the engine was imported.
THREADING_NAMES = (
    "Lock", "RLock", "Semaphore", "BoundedSemaphore", "Event", "Condition", "Barrier",
    "current_thread", "currentThread", "settrace", "setprofile",
)
TIME_NAMES = (
    "sleep", "monotonic", "monotonic_ns", "time", "time_ns", "perf_counter", "perf_counter_ns",
)
threading_originals = {n: getattr(threading, n) for n in THREADING_NAMES if hasattr(threading, n)}
time_originals = {n: getattr(time, n) for n in TIME_NAMES}
queue_time = getattr(queue, "time", None)

ThreadClass = threading.Thread
thread_originals = {n: vars(ThreadClass)[n]
                    for n in ("__init__", "start", "join", "is_alive", "run")}

#: Real primitive types: an instance of one of these found in student state is replaced by a
#: controlled twin for the duration of a run.
REAL_TYPES = {
    "Lock": RealLockType,
    "RLock": RealRLockType,
    "Semaphore": threading.Semaphore,
    "BoundedSemaphore": threading.BoundedSemaphore,
    "Event": threading.Event,
    "Condition": threading.Condition,
    "Barrier": threading.Barrier,
}
try:  # the pure-Python RLock, used when the C one is unavailable
    REAL_PY_RLOCK = threading._PyRLock  # type: ignore[attr-defined]
except AttributeError:  # pragma: no cover
    REAL_PY_RLOCK = None
