"""``queue.Queue`` calls as single steps (``autograder/sync/queues.py``): ``task_done``/``join``
with several workers searched exhaustively, bugs found, and the outcomes the same as a
brute-force walk of every schedule and as the standard library's own code run over the
controlled locks (which the engine uses when the code touches a queue's ``mutex`` itself)."""

from __future__ import annotations

import queue
import threading
import time
from types import SimpleNamespace

import pytest

from autograder import explore

from .reference import all_schedules, dpor_outcomes


def _items():
    return SimpleNamespace(q=queue.Queue(), done=[])


def _stdlib(setup):
    """``setup``, in runs where the queue runs the standard library's code over the controlled
    locks: the engine does so when the code under test names a queue's lock (made in a closure,
    so that the functions of this module do not name it: they would turn it off for all)."""
    def with_locks():
        s = setup()
        assert s.q.mutex is not None
        return s
    return with_locks


def _worker(s):
    while True:
        item = s.q.get()
        if item is None:
            s.q.task_done()
            return
        s.done.append(item)
        s.q.task_done()


def _producer(workers):
    def run(s):
        for i in range(2):
            s.q.put(i)
        s.q.join()
        assert sorted(s.done) == [0, 1], f"join returned with {s.done} done"
        for _ in range(workers):
            s.q.put(None)
    return run


@pytest.mark.parametrize("workers,most", [(1, 6), (2, 380)])
def test_workers_task_done_and_join_are_searched_exhaustively(workers, most):
    started = time.perf_counter()
    r = explore(_items, [_producer(workers)] + [_worker] * workers, time_budget=30)
    seconds = time.perf_counter() - started
    print(f"{workers} worker(s), two items, task_done/join: {r.executions} executions, "
          f"{seconds:.2f} s")
    assert r.ok and r.exhaustive, (r.message, r.notes)
    assert r.executions <= most  # two workers: 252 (was: not exhaustive after 42,749)


def test_a_task_done_before_the_work_is_found():
    def early(s):
        item = s.q.get()
        s.q.task_done()  # the bug: join() may return before the item is recorded
        s.done.append(item)

    def producer(s):
        s.q.put(1)
        s.q.join()
        s.seen = list(s.done)

    r = explore(_items, [producer, early], lambda s: s.seen == [1])
    assert r.verdict == "invariant"
    assert r.replay().verdict == "invariant"


def test_task_done_called_too_often_raises():
    r = explore(_items, [lambda s: s.q.task_done()])
    assert r.verdict == "exception" and "task_done() called too many times" in r.message


def _bounded():
    return SimpleNamespace(q=queue.Queue(maxsize=1), log=[])


def _put_two(s):
    s.q.put("a")
    try:
        s.q.put("b", timeout=1)
    except queue.Full:
        s.log.append("full")


def _get_one(s):
    try:
        s.log.append(s.q.get(timeout=0.5))
    except queue.Empty:
        s.log.append("empty")
    s.log.append(s.q.qsize())


def _try_get(s):
    try:
        s.log.append(s.q.get_nowait())
    except queue.Empty:
        s.log.append("none")
    s.q.task_done() if s.log[-1] != "none" else None


def _observe(s):
    return tuple(s.log), s.q.qsize(), s.q.unfinished_tasks


@pytest.mark.parametrize("threads", [[_put_two, _get_one], [_put_two, _try_get]],
                         ids=["timeouts", "nowait"])
def test_single_steps_reach_what_the_standard_library_reaches(threads):
    got = dpor_outcomes(_bounded, threads, _observe)
    brute = all_schedules(_bounded, threads, _observe, limit=5000)
    stdlib = dpor_outcomes(_stdlib(_bounded), threads, _observe)
    assert got.complete and brute.complete and stdlib.complete
    assert set(got.seen) == set(brute.seen)  # the search misses no schedule's outcome
    assert set(got.seen) == set(stdlib.seen)  # and single steps change no outcome
    assert got.executions <= stdlib.executions


def test_join_waits_for_every_task_of_two_workers_like_the_standard_library():
    def worker(s):
        s.q.get()
        s.q.task_done()

    def producer(s):
        s.q.put(1)
        s.q.put(2)
        s.q.join()
        s.done.append(s.q.unfinished_tasks)

    def observe(s):
        return tuple(s.done)

    threads = [producer, worker, worker]
    got = dpor_outcomes(_items, threads, observe)
    stdlib = dpor_outcomes(_stdlib(_items), threads, observe, limit=5000)
    assert got.complete and stdlib.complete
    assert set(got.seen) == set(stdlib.seen) == {("ok", "", (0,))}
    assert got.executions * 5 < stdlib.executions


def test_lifo_and_priority_queues_keep_their_order():
    def setup():
        s = SimpleNamespace(lifo=queue.LifoQueue(), prio=queue.PriorityQueue(), out=[])
        for i in (2, 1, 3):
            s.lifo.put(i)
            s.prio.put(i)
        return s

    def drain(name):
        def run(s):
            q = getattr(s, name)
            s.out.append((name, [q.get() for _ in range(3)]))
        return run

    r = explore(setup, [drain("lifo"), drain("prio")],
                lambda s: sorted(s.out) == [("lifo", [3, 1, 2]), ("prio", [1, 2, 3])])
    assert r.ok and r.exhaustive, r.message


def test_a_queue_with_its_own_storage_runs_the_standard_library_code():
    class Logged(queue.Queue):
        def _put(self, item):  # traced: it runs as the student's code, step by step
            self.log.append(item)
            super()._put(item)

    def setup():
        q = Logged()
        q.log = []
        return SimpleNamespace(q=q)

    def put(s):
        s.q.put(threading.current_thread().name)

    r = explore(setup, [put, put], lambda s: s.q.log == ["T1", "T2"])
    assert r.verdict == "invariant"  # the other order is found


@pytest.mark.skipif(not hasattr(queue.Queue, "shutdown"), reason="Queue.shutdown is 3.13+")
def test_shutdown_wakes_a_blocked_get():
    def getter(s):
        try:
            s.done.append(s.q.get())
        except queue.ShutDown:  # type: ignore[attr-defined]
            s.done.append("shut")

    def closer(s):
        s.q.shutdown()

    def observe(s):
        return tuple(s.done)

    got = dpor_outcomes(_items, [getter, closer], observe)
    stdlib = dpor_outcomes(_stdlib(_items), [getter, closer], observe)
    assert set(got.seen) == set(stdlib.seen) == {("ok", "", ("shut",))}


def test_two_waiting_getters_end_as_with_the_standard_library():
    """CPython's ``put`` wakes one waiting ``get`` (a notify), which may lose the item to the
    other: a blocked get that goes on in any thread once an item is there ends the same ways."""
    def getter(s):
        try:
            s.log.append(f"{threading.current_thread().name}:{s.q.get(timeout=1)}")
        except queue.Empty:
            s.log.append("empty")

    def putter(s):
        s.q.put(1)
        s.q.put(2)

    threads = [getter, getter, putter]
    got = dpor_outcomes(_bounded, threads, _observe)
    stdlib = dpor_outcomes(_stdlib(_bounded), threads, _observe)
    assert got.complete and stdlib.complete
    assert set(got.seen) == set(stdlib.seen)
    assert len(got.seen) == 4  # either getter gets the first item, and either logs first
