"""Deadlocks, lock-order inversions, spinning, uncontrolled blocking, bad releases."""

from __future__ import annotations

import _thread
import threading
import time
from types import SimpleNamespace

from autograder import explore
from autograder.runtime import execution

from .conftest import WARMUP
from .programs import ab, ba, two_locks

lock1 = threading.Lock()  # module level, created before any run: a real lock
lock2 = threading.Lock()


def task1():
    with lock1:
        time.sleep(1)
        with lock2:
            pass


def task2():
    with lock2:
        time.sleep(1)
        with lock1:
            pass


def test_guide_deadlock_reports_the_cycle_with_names_and_lines():
    r = explore(None, {"task1": task1, "task2": task2})
    assert r.verdict == "deadlock"
    cycle = r.trace.cycle
    assert {(e.thread, e.obj, e.holder) for e in cycle} == {
        ("task1", "lock2", "task2"), ("task2", "lock1", "task1")}
    assert "with lock2:" in r.message and "with lock1:" in r.message
    assert "task1 holds lock1" in r.message
    assert type(lock1) is type(_thread.allocate_lock())  # the real lock is back after the run
    assert not lock1.locked() and not lock2.locked()


def test_deadlock_without_sleeps_is_found_by_exploration():
    setup = two_locks

    r = explore(setup, [ab, ba])
    assert r.verdict == "deadlock"
    assert r.executions <= 4 + WARMUP
    assert len(r.trace.cycle) == 2


def test_consistent_order_is_verified():
    setup = two_locks

    r = explore(setup, [ab, ab, ab])
    assert r.ok and r.exhaustive


def test_lock_order_inversion_is_reported_even_when_no_schedule_deadlocks():
    def setup():
        return SimpleNamespace(a=threading.Lock(), b=threading.Lock(), go=threading.Event())

    def first(s):
        with s.a:
            with s.b:
                pass
        s.go.set()

    def second(s):
        s.go.wait()
        with s.b:
            with s.a:
                pass

    r = explore(setup, [first, second])
    assert r.verdict == "lock-order"
    assert "a -> b -> a" in r.message or "b -> a -> b" in r.message
    off = explore(setup, [first, second], lock_order=False)
    assert off.ok


def test_gate_lock_suppresses_the_inversion_report():
    def setup():
        return SimpleNamespace(g=threading.Lock(), a=threading.Lock(), b=threading.Lock())

    def ab(s):
        with s.g:
            with s.a:
                with s.b:
                    pass

    def ba(s):
        with s.g:
            with s.b:
                with s.a:
                    pass

    r = explore(setup, [ab, ba])
    assert r.ok, r.message


def test_exception_in_a_thread_is_reported_with_its_line():
    def boom(_):
        raise KeyError("missing")

    r = explore(lambda: None, {"worker": boom})
    assert r.verdict == "exception"
    assert "worker raised KeyError" in r.message
    assert "raise KeyError" in r.message


def test_base_exception_does_not_wedge_the_engine():
    def leave(_):
        raise SystemExit(3)

    def interrupt(_):
        raise KeyboardInterrupt

    assert explore(lambda: None, [leave]).verdict == "exception"
    assert explore(lambda: None, [interrupt, interrupt]).verdict == "exception"
    def touch(s):
        s.x = 1

    assert explore(lambda: SimpleNamespace(x=0), [touch]).ok  # still usable
    assert not execution.registry


def test_spinning_on_shared_state_is_reported():
    def setup():
        return SimpleNamespace(ready=False)

    def spinner(s):
        while not s.ready:
            pass

    def setter(s):
        s.ready = True

    r = explore(setup, {"spinner": spinner, "setter": setter}, spin_limit=200)
    assert r.verdict == "spin"
    assert "spinner" in r.message and "busy-waiting" in r.message


def test_spinning_on_event_is_set_is_reported():
    def setup():
        return SimpleNamespace(ev=threading.Event())

    def poll(s):
        while not s.ev.is_set():
            pass

    r = explore(setup, [poll, lambda s: s.ev.set()], spin_limit=100)
    assert r.verdict == "spin"


def test_endless_local_loop_is_reported_by_the_watchdog():
    def forever(_):
        n = 0
        while True:
            n += 1

    started = time.monotonic()
    r = explore(lambda: None, [forever], watchdog=0.3)
    assert r.verdict == "spin"
    assert "n += 1" in r.message or "while True" in r.message
    assert time.monotonic() - started < 10


def test_blocking_on_an_uncontrolled_lock_is_reported_quickly():
    raw = _thread.allocate_lock()  # the _thread module is not patched: the engine cannot see it
    raw.acquire()

    def stuck(_):
        raw.acquire()

    try:
        r = explore(lambda: None, {"stuck": stuck}, watchdog=0.3)
        assert r.verdict == "blocked"
        assert "stuck is blocked" in r.message
        assert "raw.acquire()" in r.message
    finally:
        raw.release()  # lets the abandoned thread finish


def test_a_thread_is_runnable_while_it_computes_and_not_while_it_waits():
    """The watchdog's signal of a busy machine (threads.runnable): state R while a thread
    computes, not while it sleeps in a call."""
    from autograder.runtime import threads

    raw, done = _thread.allocate_lock(), _thread.allocate_lock()
    raw.acquire()
    done.acquire()
    box = SimpleNamespace(t=None)

    def probe():
        box.t = SimpleNamespace(ident=_thread.get_ident(), native_id=_thread.get_native_id())
        raw.acquire()  # waits here until the test releases it
        end = time.monotonic() + 30  # a bound: the test stops it sooner
        while done.locked() and time.monotonic() < end:  # computes until the test is done
            pass

    threading.Thread(target=probe, daemon=True).start()
    deadline = time.monotonic() + 30
    while box.t is None or threads.runnable(box.t):
        assert time.monotonic() < deadline, "the probe thread never waited"
        time.sleep(0.01)
    before = threads.cpu_seconds(box.t)
    raw.release()
    try:
        while not threads.runnable(box.t):
            assert time.monotonic() < deadline, "the computing thread never showed as runnable"
        while threads.cpu_seconds(box.t) == before:
            assert time.monotonic() < deadline, "the computing thread's CPU time stood still"
    finally:
        done.release()


def test_a_busy_machine_delays_the_watchdog_but_a_blocked_thread_is_still_reported(monkeypatch):
    """A thread that is ready to run but given no CPU (what a busy machine looks like to the
    watchdog) is not reported as blocked after ``watchdog`` seconds; the watchdog waits up to
    STARVED_LIMIT times longer, then decides as before."""
    raw = _thread.allocate_lock()
    raw.acquire()

    def stuck(_):
        raw.acquire()

    # "ready to run, given no core" (the module is sealed: its globals change through its dict)
    monkeypatch.setitem(vars(execution), "runnable", lambda t: True)
    monkeypatch.setitem(vars(execution), "cpu_seconds", lambda t: 1.0)
    monkeypatch.setitem(vars(execution), "STARVED_LIMIT", 4)
    started = time.monotonic()
    try:
        r = explore(lambda: None, {"stuck": stuck}, watchdog=0.3)
        took = time.monotonic() - started
        assert r.verdict == "blocked"
        assert took >= 0.3 * (1 + 4) * 0.9, took  # the starved ticks did not count
    finally:
        raw.release()


def test_rlock_released_by_another_thread():
    def setup():
        return SimpleNamespace(r=threading.RLock(), held=threading.Event())

    def owner(s):
        s.r.acquire()
        s.held.set()

    def thief(s):
        s.held.wait()
        s.r.release()

    r = explore(setup, [owner, thief])
    assert r.verdict == "bad-release"
    assert "cannot release un-acquired lock" in r.message


def test_releasing_an_unlocked_lock():
    r = explore(lambda: SimpleNamespace(l=threading.Lock()), [lambda s: s.l.release()])
    assert r.verdict == "bad-release"


def test_lock_released_by_another_thread_is_allowed_for_plain_locks():
    def setup():
        s = SimpleNamespace(l=threading.Lock(), done=False)
        return s

    def taker(s):
        s.l.acquire()

    def giver(s):
        s.l.acquire(timeout=1) or s.l.release()

    r = explore(setup, [taker, giver])
    assert r.verdict in ("ok", "deadlock")  # never "bad-release"


def test_every_thread_blocked_at_a_deadlock_shows_a_block_event():
    setup = two_locks

    r = explore(setup, [ab, ba])
    blocks = {(e.thread, e.obj) for e in r.trace.events if e.op == "block"}
    assert blocks == {("T1", "b"), ("T2", "a")}
    assert r.trace.blocked == {"T1": "b", "T2": "a"}


def test_untraced_code_is_flagged_not_silently_passed():
    import warnings

    code = compile("def bump(s):\n    s.n += 1\n", "<string>", "exec")
    ns: dict = {}
    exec(code, ns)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        r = explore(lambda: SimpleNamespace(n=0), [ns["bump"], ns["bump"]])
    assert any("nothing was tested" in str(w.message) for w in caught)
    assert any("nothing was tested" in n for n in r.notes)


def test_a_violation_behind_a_busy_wait_is_found_under_fair_scheduling():
    """A flag used as a lock: both threads can pass the check before either sets the flag.
    Schedules in which one thread spins forever are unfair; the engine looks past them and
    reports the two threads inside, not the spinning."""

    def setup():
        return SimpleNamespace(busy=False, inside=0, most=0)

    def worker(s):
        while s.busy:
            pass
        s.busy = True
        s.inside += 1
        s.most = max(s.most, s.inside)
        s.inside -= 1
        s.busy = False

    r = explore(setup, [worker, worker, worker], lambda s: s.most == 1)
    assert r.verdict == "invariant", r.message


def test_threads_that_only_spin_on_each_other_are_a_livelock():
    def setup():
        return SimpleNamespace(a=False, b=False)

    def first(s):
        while not s.b:
            pass
        s.a = True

    def second(s):
        while not s.a:
            pass
        s.b = True

    r = explore(setup, [first, second], spin_limit=100)
    assert r.verdict == "spin"
    assert "spinning" in r.message and "while not s." in r.message, r.message
