"""Interleavings an earlier version of the search missed, and crashes it had (found by lessons)."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

from autograder import explore, replay

module_event = threading.Event()  # real primitives at module level, twinned during runs
module_semaphore = threading.BoundedSemaphore(1)
module_condition = threading.Condition()
module_barrier = threading.Barrier(1)


class NaiveOneShot:
    def __init__(self):
        self.done = threading.Event()
        self.value = None

    def set(self, value):
        if self.done.is_set():
            raise RuntimeError("already set")
        self.value = value
        self.done.set()

    def get(self):
        self.done.wait()
        return self.value


def test_a_second_set_of_an_event_does_not_hide_the_reader_race():
    def setup():
        return SimpleNamespace(shot=NaiveOneShot(), got=None)

    def setter(value):
        def run(s):
            try:
                s.shot.set(value)
            except RuntimeError:
                pass
        return run

    def reader(s):
        s.got = s.shot.get()

    def same_value(s):
        assert s.got == s.shot.value, f"reader got {s.got!r}, {s.shot.value!r} is stored"

    r = explore(setup, {"A": setter("A"), "B": setter("B"), "reader": reader}, same_value)
    assert r.verdict == "invariant"


def test_a_waiter_notified_earlier_still_races_with_a_later_notify():
    def setup():
        return SimpleNamespace(cond=threading.Condition(), free=[0])

    def borrow(s):
        with s.cond:
            if not s.free:  # the bug: `if`, not `while`
                s.cond.wait()
            s.free.pop()
        with s.cond:
            s.free.append(0)
            s.cond.notify()

    def twice(s):
        borrow(s)
        borrow(s)

    r = explore(setup, {"T1": twice, "T2": borrow})
    assert r.verdict == "exception"
    assert "IndexError" in r.message


def test_check_every_step_sees_states_of_independent_writes():
    def setup():
        return SimpleNamespace(a=False, b=False)

    def ta(s):
        s.a = True
        s.a = False

    def tb(s):
        s.b = True
        s.b = False

    def one_inside(s):
        assert not (s.a and s.b), "both inside at once"

    r = explore(setup, {"A": ta, "B": tb}, one_inside, check_every_step=True)
    assert r.verdict == "invariant"
    last = r.trace.events[-1]
    assert (last.op, last.obj) == ("write", "s.b") or (last.op, last.obj) == ("write", "s.a")


def test_module_level_event_semaphore_condition_barrier_are_twinned():
    def use():
        with module_semaphore:
            module_event.set()
        with module_condition:
            module_condition.notify_all()
        module_barrier.wait()
        assert module_event.wait(timeout=1)

    r = explore(None, [use])
    assert r.ok, r.message
    assert isinstance(module_event, type(threading.Event()))  # the real objects are back
    assert not module_event.is_set()


def test_a_busy_wait_that_takes_a_lock_each_pass_is_spinning():
    def setup():
        return SimpleNamespace(lock=threading.Lock(), ready=False)

    def waiter(s):
        while True:
            with s.lock:
                if s.ready:
                    return

    def setter(s):
        time.sleep(1)
        with s.lock:
            s.ready = True

    r = explore(setup, {"waiter": waiter, "setter": setter}, spin_limit=300)
    assert r.verdict == "spin"
    assert "s.ready" in r.message  # the spinning reads are shown


def test_a_daemon_thread_left_waiting_is_not_a_deadlock():
    import queue

    def setup():
        return SimpleNamespace(q=queue.Queue(), done=[])

    def main(s):
        def worker():
            while True:
                s.done.append(s.q.get())

        threading.Thread(target=worker, daemon=True).start()
        s.q.put(1)

    r = explore(setup, [main])
    assert r.ok, r.message
    stuck = explore(setup, [lambda s: threading.Thread(target=s.q.get).start()])
    assert stuck.verdict == "deadlock"  # a non-daemon thread waiting forever is one


def test_timed_acquires_in_opposite_orders_are_not_a_lock_order_inversion():
    from .programs import two_locks

    def careful(first, second):
        def run(s):
            a, b = getattr(s, first), getattr(s, second)
            if a.acquire(timeout=1):
                try:
                    if b.acquire(timeout=1):
                        b.release()
                finally:
                    a.release()
        return run

    r = explore(two_locks, [careful("a", "b"), careful("b", "a")])
    assert r.verdict == "ok", r.message


def test_a_check_every_step_may_call_methods_that_take_locks():
    class Box:
        def __init__(self):
            self.lock = threading.Lock()
            self.items = []

        def put(self, x):
            with self.lock:
                self.items.append(x)

        def __len__(self):
            with self.lock:
                return len(self.items)

    def put_one(b):
        b.put(1)

    ok = explore(Box, [put_one, put_one], lambda b: len(b) <= 2, check_every_step=True)
    assert ok.ok, ok.message
    bad = explore(Box, [put_one, put_one], lambda b: len(b) <= 1, check_every_step=True)
    assert bad.verdict == "invariant"


def test_condition_wait_releases_its_lock_in_the_trace_and_the_last_barrier_party_passes():
    from autograder import run_once

    def setup():
        return SimpleNamespace(cond=threading.Condition(), ready=False, b=threading.Barrier(2))

    def waiter(s):
        with s.cond:
            while not s.ready:
                s.cond.wait()
        s.b.wait()

    def setter(s):
        with s.cond:
            s.ready = True
            s.cond.notify_all()
        s.b.wait()

    r = run_once(setup, {"waiter": waiter, "setter": setter})
    assert r.ok, r.message
    ops = [(e.thread, e.op) for e in r.trace.events if e.obj == "cond"]
    assert ops[:3] == [("waiter", "acquire"), ("waiter", "release"), ("waiter", "wait")]
    barrier = [(e.thread, e.op) for e in r.trace.events if e.obj == "b"]
    assert [op for _, op in barrier] == ["wait", "wake", "set", "wake"]  # no one waits forever


# ---- issue 8: the search said "ok, exhaustive" where a failing schedule exists --------------
class _PreheldSemaphore:
    def __init__(self):
        self.B = threading.BoundedSemaphore(1)
        self.B.acquire()


def test_an_earlier_race_is_reversed_after_one_with_a_blocked_thread():
    """Root cause A: the race scan stopped at the newest race, where the other thread was
    blocked (t0's acquire waits for t1's release), so the earlier one with t1's acquire, where
    both could run, was never reversed."""

    def t0(s):
        s.B.acquire()

    def t1(s):
        s.B.release()
        with s.B:
            pass

    r = explore(_PreheldSemaphore, [t0, t1])
    assert r.verdict == "deadlock", r.message
    assert replay(_PreheldSemaphore, [t0, t1], ["T2", "T2", "T2", "T1", "T1", "T1", "T2"]
                  ).verdict == "deadlock"


class _FlagState:
    def __init__(self):
        self.x = 0
        self.flag = 0
        self.log = []


def _append_then_add(s):
    s.log.append(1)
    s.x += 2


def _log_if_flag(s):
    if s.flag:
        s.log.append(2)


def _raise_add_lower(s):
    s.flag = 1
    s.x += 2
    s.flag = 0


def _not_lost_and_reordered(s):
    return not (s.x == 2 and s.log == [2, 1])


def test_a_sleeping_thread_does_not_hide_the_thread_that_must_move_first():
    """Root cause B: the thread to try first was asleep at the backtrack point, and the thread
    that had to move before it (to set the flag it reads) was never added."""
    threads = [_append_then_add, _log_if_flag, _raise_add_lower]
    r = explore(_FlagState, threads, _not_lost_and_reordered)
    assert r.verdict == "invariant", r.message
    assert r.replay().verdict == "invariant"  # the schedule it found fails on every run


class _LockAndLog:
    def __init__(self):
        self.L = threading.Lock()
        self.L.acquire()
        self.log = []


def test_a_mutator_call_writes_when_it_runs_after_its_arguments():
    """Found by the differential tester: ``log.append(lock.locked())`` was a write of the log
    at the lookup of ``log``, before ``locked()``; the append happens after it."""

    def releaser(s):
        s.L.release()
        s.log.append("released")

    def reader(s):
        s.log.append(("locked", s.L.locked()))

    def story_holds(s):
        return s.log != ["released", ("locked", True)]

    r = explore(_LockAndLog, [releaser, reader], story_holds)
    assert r.verdict == "invariant", r.message


class _RLockAndWrites:
    def __init__(self):
        self.R = threading.RLock()
        self.y = 0


def test_a_release_that_raised_enabled_nothing_so_it_still_races():
    """Found by the differential soak (seed 354): a release by a thread that does not own the
    RLock raises and frees nothing, yet it was taken for the release that enables the other
    thread's acquire, which ordered everything before it ahead of the other thread."""

    def stranger(s):
        s.y = 0
        try:
            s.R.release()
        except RuntimeError:
            pass

    def owner(s):
        with s.R:
            s.y = 2

    r = explore(_RLockAndWrites, [stranger, owner], lambda s: s.y == 2)
    assert r.verdict == "invariant", r.message


def test_a_polling_thread_may_look_again_after_another_thread_changed_something():
    """Fair scheduling must not keep a thread that polled from seeing a short window: once
    another thread makes progress, the poller may run again (found by the differential soak)."""

    def setup():
        return SimpleNamespace(flag=0, seen=False, work=0)

    def poller(s):
        for _ in range(6):
            if s.flag:
                s.seen = True
                return

    def window(s):
        s.work += 1
        s.work += 1
        s.flag = 1
        s.flag = 0

    r = explore(setup, {"poller": poller, "window": window}, lambda s: not s.seen)
    assert r.verdict == "invariant", r.message


def test_code_run_again_is_traced_again(tmp_path):
    """Code objects compare equal by value: a cell run again (here: a file loaded twice) makes
    a new code object equal to the old one, which 3.12+ took for already instrumented, so the
    second run was not traced at all and a lost update passed (found by the differential test
    on 3.12)."""
    import importlib.util

    path = tmp_path / "again.py"
    path.write_text("def bump(s):\n    s.x += 1\n")
    for k in range(2):
        spec = importlib.util.spec_from_file_location(f"again_{k}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        r = explore(lambda: SimpleNamespace(x=0), [module.bump, module.bump],
                    lambda s: s.x == 2)
        assert r.verdict == "invariant", (k, r.message)


def test_a_poller_beside_a_thread_that_only_reads_is_not_pruned():
    """Fair scheduling kept a poller away by its loop count but kept every thread away by its
    count of steps without progress; a worker that read three values in a row while another
    thread polled had no thread left to run, and the execution was dropped as redundant: a
    lost write was reported ok (found by lesson 07's log_writer test)."""

    def setup():
        return SimpleNamespace(flag=False, x=1, y=2, z=3, total=0)

    def waiter(s):
        while not s.flag:
            pass

    def worker(s):
        total = s.x + s.y + s.z
        s.total = total
        s.flag = True

    r = explore(setup, [waiter, worker], lambda s: s.total == 5, busy_wait=False)
    assert r.verdict == "invariant", r.message


def test_a_loop_over_its_own_values_is_not_busy_waiting():
    """A loop that repeats reads of state no other thread writes (here a closure's string, as
    in ``any(m in mode for m in "wax+")``) is finite work, not a thread waiting for another."""

    def opener(mode):
        return any(m in mode for m in "wax+")

    def setup():
        return SimpleNamespace(opened=[])

    def worker(s):
        s.opened.append(opener("r"))  # four turns: "w", "a", "x" and "+" are not in "r"

    r = explore(setup, [worker, worker], lambda s: s.opened == [False, False])
    assert r.ok, r.message


def test_only_what_the_loop_re_reads_makes_it_a_poll():
    """A thread that read a slot another thread writes, then ran a finite loop over its own
    values, was reported as busy-waiting: the keys of every step since its last write were
    taken for what the loop polls (lesson 07's log_writer test, ``any(m in mode ...)``)."""

    def opener(mode):
        return any(m in mode for m in "wax+")

    def setup():
        return SimpleNamespace(items=[0], opened=[])

    def worker(s):
        seen = s.items[0]
        s.opened.append((seen >= 0, opener("r")))

    def writer(s):
        s.items[0] = 1

    r = explore(setup, [worker, writer], lambda s: s.opened == [(True, False)])
    assert r.ok, r.message


def test_a_barrier_lets_no_more_than_its_parties_through_and_drains_first():
    """A third thread arriving at a Barrier(2) between the second arrival and its opening was
    counted in the same round (index 2) and passed with the other two; CPython makes it wait
    for the next round, and for the freed threads to leave first (found by the differential
    tester once it drew barriers)."""

    def setup():
        return SimpleNamespace(b=threading.Barrier(2), passed=[])

    def party(s):
        try:
            s.passed.append(s.b.wait(timeout=1.0))
        except threading.BrokenBarrierError:  # the odd one out times out alone
            s.passed.append("broken")

    r = explore(setup, [party, party, party],
                lambda s: sorted(map(str, s.passed)) == ["0", "1", "broken"])
    assert r.ok and r.exhaustive, r.message


def test_a_barrier_aborted_then_reset_is_usable_again():
    def setup():
        return SimpleNamespace(b=threading.Barrier(3), seen=[])

    def waiter(s):
        try:
            s.b.wait()
        except threading.BrokenBarrierError:
            s.seen.append("broken")

    def breaker(s):
        while s.b.n_waiting < 1:
            time.sleep(0.01)
        s.b.abort()
        s.b.reset()
        s.seen.append(("again", s.b.broken, s.b.n_waiting))

    r = explore(setup, [waiter, breaker], lambda s: sorted(map(str, s.seen)) ==
                sorted(map(str, ["broken", ("again", False, 0)])))
    assert r.ok, r.message


def test_a_loop_that_hands_out_permits_is_not_busy_waiting():
    """Downey's reusable barrier opens its turnstile with ``for _ in range(n):
    turnstile.release()``: the same step three times, but each gives a permit away (it was
    reported as busy-waiting, found by lesson 10's corpus)."""

    class Turnstile:
        def __init__(self, n):
            self.n, self.count = n, 0
            self.mutex = threading.Lock()
            self.gate = threading.Semaphore(0)

        def wait(self):
            with self.mutex:
                self.count += 1
                if self.count == self.n:
                    for _ in range(self.n):
                        self.gate.release()
            self.gate.acquire()

    def setup():
        return SimpleNamespace(t=Turnstile(3), done=[])

    def party(s):
        s.t.wait()
        s.done.append(1)

    r = explore(setup, [party, party, party], lambda s: len(s.done) == 3)
    assert r.ok, r.message


def test_taking_and_giving_back_a_permit_in_a_loop_is_still_polling():
    def setup():
        return SimpleNamespace(sem=threading.Semaphore(1), ready=False)

    def poller(s):
        while True:
            with s.sem:
                if s.ready:
                    return

    def setter(s):
        s.ready = True

    r = explore(setup, [poller, setter])
    assert r.verdict == "spin" and "busy-waiting" in r.message, r.message


def test_grader_supplied_code_compiled_traced_is_explored():
    """A model the grader supplies (lesson 07's shared text file) must be explored like a
    student's code: ``compile_traced`` marks it, instead of borrowing a notebook cell's name."""
    from autograder.runtime.points import compile_traced

    ns: dict = {}
    exec(compile_traced("def bump(s):\n    s.x += 1\n", "a bump model"), ns)
    r = explore(lambda: SimpleNamespace(x=0), [ns["bump"], ns["bump"]], lambda s: s.x == 2)
    assert r.verdict == "invariant", r.message
