"""Each controlled primitive behaves as threading's does, under every interleaving."""

from __future__ import annotations

import queue
import threading
import time
from types import SimpleNamespace

from autograder import explore, run_once


def test_rlock_is_reentrant_and_counts():
    class Box:
        def __init__(self):
            self.lock = threading.RLock()
            self.n = 0

        def add(self):
            with self.lock:
                self.n += 1

        def add_twice(self):
            with self.lock:
                self.add()
                self.add()

    r = explore(Box, [Box.add_twice, Box.add_twice], lambda b: b.n == 4)
    assert r.ok and r.exhaustive, r.message


def test_plain_lock_reacquired_by_its_owner_deadlocks():
    def nested(s):
        with s.lock:
            with s.lock:
                pass

    r = explore(lambda: SimpleNamespace(lock=threading.Lock()), [nested])
    assert r.verdict == "deadlock"
    assert "T1 waits for lock held by T1" in r.message


def test_semaphore_admits_at_most_n():
    def setup():
        return SimpleNamespace(sem=threading.Semaphore(2), inside=[], most=0)

    def use(s):
        with s.sem:
            s.inside.append(1)
            s.most = max(s.most, len(s.inside))
            s.inside.pop()

    def at_most_two(s):
        assert len(s.inside) <= 2, f"{len(s.inside)} threads inside"

    r = explore(setup, [use, use, use], at_most_two, check_every_step=True, max_executions=400)
    assert r.ok, r.message
    reach = explore(setup, [use, use], lambda s: s.most < 2)
    assert reach.verdict == "invariant"  # two can be inside at once
    one = explore(lambda: SimpleNamespace(sem=threading.Semaphore(1), inside=[], most=0),
                  [use, use], lambda s: s.most == 1)
    assert one.ok and one.exhaustive


def test_bounded_semaphore_rejects_extra_release():
    def extra(s):
        s.sem.release()

    r = explore(lambda: SimpleNamespace(sem=threading.BoundedSemaphore(1)), [extra])
    assert r.verdict == "bad-release"
    assert "released too many times" in r.message


def test_event_wakes_waiter_and_times_out_on_the_virtual_clock():
    def setup():
        return SimpleNamespace(ev=threading.Event(), got=None, waited=None)

    def waiter(s):
        start = time.monotonic()
        s.got = s.ev.wait(timeout=30)
        s.waited = time.monotonic() - start

    def setter(s):
        s.ev.set()

    r = explore(setup, [waiter, setter], lambda s: s.got is True)
    assert r.ok and r.exhaustive
    alone = run_once(setup, [waiter])
    assert alone.ok
    assert alone.state.got is False
    assert alone.state.waited == 30  # exact: time jumped to the deadline


def test_condition_bounded_buffer_with_while_is_correct():
    r = explore(lambda: Buffer(1, use_while=True), [producer, consumer, consumer])
    assert r.ok, r.message


def test_condition_bounded_buffer_with_if_breaks():
    r = explore(lambda: Buffer(1, use_while=False), [producer, consumer, consumer])
    assert r.verdict == "exception"
    assert "IndexError" in r.message


class Buffer:
    def __init__(self, capacity, use_while):
        self.capacity = capacity
        self.items = []
        self.cond = threading.Condition()
        self.use_while = use_while

    def put(self, item):
        with self.cond:
            while len(self.items) >= self.capacity:
                self.cond.wait()
            self.items.append(item)
            self.cond.notify_all()

    def get(self):
        with self.cond:
            if self.use_while:
                while not self.items:
                    self.cond.wait()
            elif not self.items:
                self.cond.wait()
            item = self.items.pop(0)
            self.cond.notify_all()
            return item


def producer(b):
    b.put(1)
    b.put(2)


def consumer(b):
    b.get()


def test_condition_wait_timeout_and_wait_for():
    def setup():
        return SimpleNamespace(cond=threading.Condition(threading.Lock()), ready=False, r=None)

    def waiter(s):
        with s.cond:
            s.r = s.cond.wait_for(lambda: s.ready, timeout=2.5)

    r = run_once(setup, [waiter])
    assert r.ok and r.state.r is False
    assert [e.op for e in r.trace.events if e.kind == "Condition"][-1] == "timeout"


def test_condition_without_lock_is_reported():
    def bad(s):
        s.cond.notify()

    r = explore(lambda: SimpleNamespace(cond=threading.Condition()), [bad])
    assert r.verdict == "bad-release"
    assert "un-acquired lock" in r.message


def test_barrier_releases_all_parties_together():
    def setup():
        return SimpleNamespace(b=threading.Barrier(3), arrived=[], seen=[])

    def party(s):
        s.arrived.append(1)
        s.b.wait()
        s.seen.append(len(s.arrived))

    # 432 executions: the default 3 s budget is a safety net, not what this test measures
    r = explore(setup, [party, party, party], lambda s: s.seen == [3, 3, 3], time_budget=60)
    assert r.ok and r.exhaustive, r.message


def test_barrier_timeout_breaks_it():
    def setup():
        return SimpleNamespace(b=threading.Barrier(2), broke=False)

    def lonely(s):
        try:
            s.b.wait(timeout=1)
        except threading.BrokenBarrierError:
            s.broke = True

    r = run_once(setup, [lonely])
    assert r.ok and r.state.broke and r.state.b.broken


def test_queue_producer_consumer():
    def cons(q):
        got = [q.get() for _ in range(2)]
        assert got == [0, 1], got

    def prod(q):
        for i in range(2):
            q.put(i)

    r = explore(lambda: queue.Queue(maxsize=1), [prod, cons])
    assert r.ok and r.exhaustive, r.message


def test_queue_get_timeout_is_virtual():
    def setup():
        return SimpleNamespace(q=queue.Queue(), err=None)

    def cons(s):
        try:
            s.q.get(timeout=4)
        except queue.Empty:
            s.err = time.monotonic()

    r = run_once(setup, [cons])
    assert r.ok and r.state.err is not None


def test_lock_acquire_timeout_gives_up_at_the_deadline():
    def setup():
        return SimpleNamespace(a=threading.Lock(), stop=threading.Event(), got=None, at=None)

    def holder(s):
        with s.a:
            s.stop.wait()

    def impatient(s):
        start = time.monotonic()
        s.got = s.a.acquire(timeout=2)
        s.at = time.monotonic() - start
        s.stop.set()

    r = run_once(setup, [holder, impatient])
    assert r.ok, r.message
    assert r.state.got is False and r.state.at == 2


def test_threads_started_by_the_code_under_test_are_controlled():
    class Counter:
        def __init__(self):
            self.value = 0

    def spawner(c):
        def bump():
            c.value += 1

        ts = [threading.Thread(target=bump, name=f"worker-{i}") for i in range(2)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        assert not ts[0].is_alive()

    r = explore(Counter, [spawner], lambda c: c.value == 2)
    assert r.verdict == "invariant"
    assert {"worker-0", "worker-1"} <= set(r.trace.threads)


def test_thread_subclass_and_current_thread_names():
    names = []

    class Worker(threading.Thread):
        def run(self):
            names.append(threading.current_thread().name)

    def main(_):
        w = Worker(name="sub")
        w.start()
        w.join()
        names.append(threading.current_thread().name)

    r = run_once(lambda: None, {"main": main})
    assert r.ok, r.message
    assert names == ["sub", "main"]


def test_sleep_orders_threads_on_virtual_time():
    out = []

    def slow(_):
        time.sleep(10)
        out.append("slow")

    def fast(_):
        time.sleep(1)
        out.append("fast")

    r = run_once(lambda: None, [slow, fast])
    assert r.ok
    assert out == ["fast", "slow"]
    assert max(e.time for e in r.trace.events) == 10


# ---- behaviour CPython's lock_tests found different (see test_lock_tests.py) ------------------
def test_barrier_reset_breaks_the_waiters_and_the_barrier_is_usable_again():
    def waiter(s):
        try:
            s.b.wait()
            s.log.append("passed first")
        except threading.BrokenBarrierError:
            s.log.append("broken")
        s.b.wait()
        s.log.append("passed")

    def resetter(s):
        time.sleep(1)  # the waiter is in the barrier by then (virtual time)
        s.b.reset()
        s.b.wait()
        s.log.append("passed")

    r = explore(lambda: SimpleNamespace(b=threading.Barrier(2), log=[]), [waiter, resetter],
                lambda s: sorted(s.log) == ["broken", "passed", "passed"] and not s.b.broken)
    assert r.ok and r.exhaustive, r.message


def test_barrier_reset_after_abort_frees_the_waiters_and_the_next_round():
    def waiter(s):
        try:
            s.b.wait()
        except threading.BrokenBarrierError:
            s.log.append("broken")

    def aborter(s):
        time.sleep(1)
        s.b.abort()
        s.b.reset()

    r = explore(lambda: SimpleNamespace(b=threading.Barrier(2), log=[]), [waiter, aborter],
                lambda s: s.log == ["broken"] and not s.b.broken)
    assert r.ok and r.exhaustive, r.message


def _set_then_clear(s):
    s.ev.set()
    s.ev.clear()


def test_event_waiter_signalled_by_a_set_returns_true_after_a_clear():
    def waiter(s):
        s.got = s.ev.wait()

    def setter(s):
        time.sleep(1)  # the waiter is waiting by then
        _set_then_clear(s)

    r = explore(lambda: SimpleNamespace(ev=threading.Event(), got=None), [waiter, setter],
                lambda s: s.got is True)
    assert r.ok and r.exhaustive, r.message


def test_event_wait_racing_with_set_and_clear_can_return_either_way():
    """The wait may begin before the set (True) or after the clear (False, at the timeout):
    the engine explores both, so neither outcome alone is an invariant."""
    def waiter(s):
        s.got = s.ev.wait(5)

    state = lambda: SimpleNamespace(ev=threading.Event(), got=None)  # noqa: E731
    for outcome in (True, False):
        r = explore(state, [waiter, _set_then_clear], lambda s, o=outcome: s.got is o)
        assert r.verdict == "invariant", r.message


def test_huge_timeouts_raise_overflow_error_and_timeout_max_is_accepted():
    from _thread import TIMEOUT_MAX

    def body(s):
        for make in (threading.Lock, threading.RLock):
            lock = make()
            for huge in (1e100, TIMEOUT_MAX + 1):
                try:
                    lock.acquire(timeout=huge)
                except OverflowError:
                    s.log.append("overflow")
            assert lock.acquire(timeout=TIMEOUT_MAX)
            lock.release()

    r = run_once(lambda: SimpleNamespace(log=[]), [body], lambda s: s.log == ["overflow"] * 4)
    assert r.ok, r.message


def test_a_dropped_primitive_is_collected():
    import gc
    import weakref

    def body(s):
        for make in (threading.Lock, threading.RLock, threading.Event, threading.Semaphore):
            obj = make()
            ref = weakref.ref(obj)
            del obj
            gc.collect()
            s.log.append(ref() is None)

    r = run_once(lambda: SimpleNamespace(log=[]), [body], lambda s: s.log == [True] * 4)
    assert r.ok, r.message


def test_reprs_follow_cpython_and_name_the_primitive():
    def body(s):
        lock = threading.Lock()
        s.log.append(repr(lock))
        lock.acquire()
        s.log.append(repr(lock))
        sem = threading.BoundedSemaphore(3)
        sem.acquire()
        s.log.append(repr(sem))
        s.log.append(repr(threading.Condition(lock)))

    r = run_once(lambda: SimpleNamespace(log=[]), [body])
    assert r.ok, r.message
    unlocked, locked, sem, cond = r.state.log
    assert cond == f"<controlled.Condition({locked}, 0)>", cond
    assert unlocked.startswith("<unlocked controlled.Lock object 'Lock 1' at 0x"), unlocked
    assert locked.startswith("<locked controlled.Lock object"), locked
    assert sem.startswith("<controlled.BoundedSemaphore at 0x") and sem.endswith(": value=2/3>")


def test_rlock_recursion_count_is_the_callers():
    def owner(s):
        with s.lock:
            with s.lock:
                s.log.append(s.lock._recursion_count())
                time.sleep(1)

    def other(s):
        time.sleep(0.5)  # the owner holds the lock twice by then
        s.log.append(s.lock._recursion_count())

    r = explore(lambda: SimpleNamespace(lock=threading.RLock(), log=[]), [owner, other],
                lambda s: s.log == [2, 0])
    assert r.ok and r.exhaustive, r.message


def test_event_wait_with_a_huge_timeout_raises_only_when_it_would_wait():
    def body(s):
        try:
            s.ev.wait(1e100)
        except OverflowError:
            s.log.append("overflow")
        s.ev.set()
        s.log.append(s.ev.wait(1e100))

    r = run_once(lambda: SimpleNamespace(ev=threading.Event(), log=[]), [body],
                 lambda s: s.log == ["overflow", True])
    assert r.ok, r.message


def test_semaphore_and_condition_huge_timeouts_raise_overflow_error_when_they_would_wait():
    def body(s):
        assert s.sem.acquire(timeout=1e100)  # a permit is free: no wait, no error
        for wait in (lambda: s.sem.acquire(timeout=1e100), lambda: s.cond.wait(1e100)):
            with s.cond:
                try:
                    wait()
                except OverflowError:
                    s.log.append("overflow")
        s.log.append(s.cond._lock.locked())

    r = run_once(lambda: SimpleNamespace(sem=threading.Semaphore(1), cond=threading.Condition(),
                                         log=[]),
                 [body], lambda s: s.log == ["overflow", "overflow", False])
    assert r.ok, r.message
