"""The real-run recorder: what it records, when it records a block, and that it restores."""

from __future__ import annotations

import queue
import threading
import time
from types import SimpleNamespace

import pytest

from autograder.base.trace import OPS, Trace
from course.recording import wrappers as _prims
from course.recording.recorder import label, record

FACTORIES = ("Lock", "RLock", "Semaphore", "BoundedSemaphore", "Event", "Condition")


def originals() -> dict[str, object]:
    saved = {name: threading.__dict__[name] for name in FACTORIES}
    saved["_bootstrap_inner"] = threading.Thread.__dict__["_bootstrap_inner"]
    return saved


def ops(trace: Trace, thread: str | None = None, obj: str | None = None) -> list[str]:
    return [e.op for e in trace.events
            if (thread is None or e.thread == thread) and (obj is None or e.obj == obj)]


def wait_until(predicate, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.001)


def run_threads(*targets, names=None) -> list[threading.Thread]:
    threads = [threading.Thread(target=f, name=(names[i] if names else None))
               for i, f in enumerate(targets)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    return threads


def test_with_lock_and_explicit_acquire_are_both_recorded():
    with record() as rec:
        lock = threading.Lock()

        def work():
            with lock:
                pass
            lock.acquire()
            lock.release()

        run_threads(work, names=["T"])
    trace = rec.trace
    assert isinstance(trace, Trace)
    assert ops(trace, "T") == ["start", "acquire", "release", "acquire", "release", "end"]
    assert all(e.op in OPS for e in trace.events)
    assert {e.obj for e in trace.events if e.obj} == {"Lock 1"}
    assert {e.kind for e in trace.events if e.obj} == {"Lock"}
    assert trace.time_unit == "seconds"
    assert trace.outcome == "ok" and not trace.blocked and not trace.cycle


def test_times_are_perf_counter_seconds_since_start_in_order():
    before = time.perf_counter()
    with record() as rec:
        lock = threading.Lock()
        with lock:
            time.sleep(0.01)
    elapsed = time.perf_counter() - before
    times = [e.time for e in rec.trace.events]
    assert times == sorted(times)
    assert 0 <= times[0] <= times[-1] <= elapsed
    assert times[-1] - times[0] >= 0.009
    assert [e.step for e in rec.trace.events] == list(range(len(times)))


def test_source_lines_are_the_callers():
    with record() as rec:
        lock = threading.Lock()
        with lock:  # the with line
            pass
        lock.acquire()  # explicit
        lock.release()
    first, second, third, fourth = rec.trace.events
    assert first.source == "with lock:  # the with line" == second.source
    assert third.source == "lock.acquire()  # explicit"
    assert fourth.source == "lock.release()"
    assert third.line == fourth.line - 1
    assert first.filename == __file__ and first.function.startswith("test_source")


def test_lines_can_be_left_out():
    with record(lines=False) as rec:
        with threading.Lock():
            pass
    assert all(e.line is None and e.source == "" for e in rec.trace.events)


def test_block_only_when_the_lock_is_taken():
    with record() as rec:
        lock = threading.Lock()
        lock.acquire()

        def contender():
            with lock:
                pass

        t = threading.Thread(target=contender, name="C")
        t.start()
        wait_until(lambda: "block" in ops(rec.trace, "C"))
        lock.release()
        t.join(5)
        lock.acquire()  # uncontended now
        lock.release()
    assert ops(rec.trace, "C") == ["start", "block", "acquire", "release", "end"]
    assert "block" not in ops(rec.trace, "MainThread")
    # the holder's release is recorded before the contender's acquire
    events = rec.trace.events
    rel = next(e for e in events if e.thread == "MainThread" and e.op == "release")
    acq = next(e for e in events if e.thread == "C" and e.op == "acquire")
    assert rel.time <= acq.time


def test_timeouts_and_non_blocking_attempts():
    with record() as rec:
        lock = threading.Lock()
        lock.acquire()
        result = []

        def impatient():
            result.append(lock.acquire(timeout=0.01))
            result.append(lock.acquire(blocking=False))

        run_threads(impatient, names=["I"])
        lock.release()
    assert result == [False, False]
    trace = rec.trace
    assert ops(trace, "I") == ["start", "block", "timeout", "timeout", "end"]
    details = [e.detail for e in trace.events if e.op == "timeout"]
    assert details == ["after 0.01 s", "not available (non-blocking)"]
    assert not trace.blocked


def test_rlock_reentry_records_every_level():
    with record() as rec:
        rlock = threading.RLock()
        with rlock:
            with rlock:
                pass
    evs = rec.trace.events
    assert [e.op for e in evs] == ["acquire", "acquire", "release", "release"]
    assert evs[1].detail == "re-entered, depth 2"
    assert evs[2].detail == "still held, depth 1"
    assert evs[0].kind == "RLock" and evs[0].obj == "RLock 1"


def test_semaphore_permits_and_bounded_over_release():
    with record() as rec:
        sem = threading.Semaphore(2)
        bsem = threading.BoundedSemaphore(1)
        sem.acquire()
        with sem:
            pass
        sem.release()
        with pytest.raises(ValueError):
            bsem.release()
        with bsem:
            pass
    trace = rec.trace
    assert [(e.op, e.detail) for e in trace.events if e.obj == "Semaphore 1"] == [
        ("acquire", "1 of 2 left"), ("acquire", "0 of 2 left"), ("release", ""),
        ("release", ""),
    ]
    assert ops(trace, obj="BoundedSemaphore 1") == ["acquire", "release"]


def test_semaphore_blocks_when_no_permit_is_left():
    with record() as rec:
        sem = threading.Semaphore(1)
        sem.acquire()
        t = threading.Thread(target=lambda: sem.acquire(timeout=5), name="W")
        t.start()
        wait_until(lambda: "block" in ops(rec.trace, "W"))
        sem.release()
        t.join(5)
    assert ops(rec.trace, "W") == ["start", "block", "acquire", "end"]


def test_event_wait_set_clear():
    with record() as rec:
        ev = label(threading.Event(), "go")

        def waiter():
            ev.wait()

        t = threading.Thread(target=waiter, name="W")
        t.start()
        wait_until(lambda: "wait" in ops(rec.trace, "W"))
        ev.set()
        t.join(5)
        ev.wait()  # already set: returns at once
        ev.clear()
        assert ev.wait(0.001) is False
    trace = rec.trace
    assert ops(trace, "W") == ["start", "wait", "wake", "end"]
    assert [(e.op, e.detail) for e in trace.events if e.thread == "MainThread"] == [
        ("set", ""), ("wake", "already set"), ("clear", ""), ("wait", ""),
        ("timeout", "after 0.001 s"),
    ]
    assert {e.obj for e in trace.events if e.obj} == {"go"}


def test_condition_over_a_recorded_lock():
    with record() as rec:
        lock = label(threading.Lock(), "mutex")
        cond = label(threading.Condition(lock), "ready")
        items: list[int] = []

        def consumer():
            with cond:
                while not items:
                    cond.wait()
                items.pop()

        t = threading.Thread(target=consumer, name="C")
        t.start()
        wait_until(lambda: "wait" in ops(rec.trace, "C"))
        with cond:
            items.append(1)
            cond.notify()
        t.join(5)
    trace = rec.trace
    assert [(e.op, e.obj) for e in trace.events if e.thread == "C"] == [
        ("start", None), ("acquire", "mutex"), ("release", "mutex"), ("wait", "ready"),
        ("wake", "ready"), ("acquire", "mutex"), ("release", "mutex"), ("end", None),
    ]
    assert ("notify", "ready") in [(e.op, e.obj) for e in trace.events]
    assert items == []


def test_condition_with_its_own_rlock_wait_for_and_timeout():
    with record() as rec:
        cond = threading.Condition()
        with cond:
            assert cond.wait_for(lambda: False, timeout=0.01) is False
            with cond:  # its RLock is re-entrant
                assert cond.wait(0.001) is False
    trace = rec.trace
    assert {e.obj for e in trace.events} == {"Condition 1"}
    assert {e.kind for e in trace.events if e.op in ("acquire", "release")} == {"RLock"}
    assert {e.kind for e in trace.events if e.op in ("wait", "timeout")} == {"Condition"}
    seq = [e.op for e in trace.events]
    assert seq[:2] == ["acquire", "release"] and "timeout" in seq
    # the re-entrant wait gives back both levels and takes both back
    i = seq.index("acquire", 3)
    assert seq[i - 4: i + 4].count("release") >= 2
    acquires, releases = seq.count("acquire"), seq.count("release")
    assert acquires == releases


def test_condition_over_a_lock_made_before_recording():
    lock = threading.Lock()
    with record() as rec:
        cond = threading.Condition(lock)
        with cond:
            cond.notify_all()
    assert [e.op for e in rec.trace.events] == ["acquire", "notify", "release"]
    assert not lock.locked()


def test_condition_rejects_a_wait_without_the_lock():
    with record():
        cond = threading.Condition()
        with pytest.raises(RuntimeError):
            cond.wait(0.001)


@pytest.mark.parametrize("stdlib", [False, True])
def test_queue_keeps_working(stdlib):
    with record(stdlib=stdlib) as rec:
        q: queue.Queue[int] = queue.Queue(maxsize=1)
        out: list[int] = []

        def producer():
            for i in range(5):
                q.put(i)

        def consumer():
            for _ in range(5):
                out.append(q.get(timeout=5))
                q.task_done()

        run_threads(producer, consumer)
        q.join()
    assert out == [0, 1, 2, 3, 4]
    recorded = {e.kind for e in rec.trace.events if e.obj}
    if stdlib:
        assert {"Lock", "Condition"} <= recorded
    else:
        assert recorded == set()


def test_everything_is_restored_on_exit():
    before = originals()
    with record():
        assert all(threading.__dict__[n] is not before[n] for n in FACTORIES)
    assert originals() == before
    assert all(originals()[k] is v for k, v in before.items())


def test_everything_is_restored_after_an_exception():
    before = originals()
    with pytest.raises(ZeroDivisionError), record():
        threading.Lock()
        1 / 0  # noqa: B018
    assert all(originals()[k] is v for k, v in before.items())
    assert type(threading.Lock()) is type(before["Lock"]())  # type: ignore[operator]


def test_nested_recordings_restore_in_order():
    before = originals()
    with record() as outer:
        a = threading.Lock()
        with record() as inner:
            b = threading.Lock()
            with a, b:
                pass
        with a:
            pass
    assert all(originals()[k] is v for k, v in before.items())
    # the inner recording sees what was made inside it; the outer one sees everything
    assert [(e.op, e.obj) for e in inner.trace.events] == [("acquire", "Lock 1"),
                                                           ("release", "Lock 1")]
    assert [(e.op, e.obj) for e in outer.trace.events] == [
        ("acquire", "Lock 1"), ("acquire", "Lock 2"), ("release", "Lock 2"),
        ("release", "Lock 1"), ("acquire", "Lock 1"), ("release", "Lock 1")]


def test_primitives_outlive_the_recording_quietly():
    with record() as rec:
        lock = threading.Lock()
        ev = threading.Event()
    n = len(rec.trace.events)
    with lock:
        ev.set()
    assert ev.wait(0) and not lock.locked()
    assert len(rec.trace.events) == n == 0


def test_default_labels_in_creation_order_and_label_helper():
    with record() as rec:
        a, b = threading.Lock(), threading.Lock()
        r = threading.RLock()
        label(b, "second")
        for x in (a, b, r):
            with x:
                pass
    assert [e.obj for e in rec.trace.events if e.op == "acquire"] == ["Lock 1", "second",
                                                                       "RLock 1"]
    plain = object()
    assert label(plain, "x") is plain
    real = threading.Lock()
    assert label(real, "x") is real


def test_label_is_reachable_as_course_record_label():
    import course

    with course.record() as rec:
        lock = course.record.label(threading.Lock(), "lock1")
        with lock:
            pass
    assert {e.obj for e in rec.trace.events} == {"lock1"}


def test_wrappers_are_recording_wrappers():
    with record():
        made = [threading.Lock(), threading.RLock(), threading.Semaphore(),
                threading.BoundedSemaphore(), threading.Event(), threading.Condition()]
    assert [type(p) for p in made] == [
        _prims.RecLock, _prims.RecRLock, _prims.RecSemaphore, _prims.RecBoundedSemaphore,
        _prims.RecEvent, _prims.RecCondition]
    assert all(isinstance(p, _prims.Prim) for p in made)


def test_thread_lifecycle_and_errors(monkeypatch):
    monkeypatch.setattr(threading, "excepthook", lambda args: None)

    def boom():
        raise ValueError("no")

    with record() as rec:
        run_threads(boom, names=["B"])
    trace = rec.trace
    assert ops(trace, "B") == ["start", "error", "end"]
    assert trace.events[1].detail == "ValueError: no"
    assert trace.outcome == "exception"


def test_a_real_deadlock_is_seen_while_it_lasts():
    with record() as rec:
        a, b = threading.Lock(), threading.Lock()
        both = threading.Barrier(2)
        give_up: list[bool] = []

        def worker(first, second):
            def run():
                with first:
                    both.wait()
                    if second.acquire(timeout=2):
                        second.release()
                    else:
                        give_up.append(True)
            return run

        t1 = threading.Thread(target=worker(a, b), name="T1")
        t2 = threading.Thread(target=worker(b, a), name="T2")
        t1.start()
        t2.start()
        wait_until(lambda: ops(rec.trace).count("block") == 2)
        snapshot = rec.trace
        t1.join(5)
        t2.join(5)
    assert snapshot.outcome == "deadlock"
    assert snapshot.blocked == {"T1": "Lock 2", "T2": "Lock 1"}
    assert snapshot.holding == {"T1": ["Lock 1"], "T2": ["Lock 2"]}
    assert {(w.thread, w.obj, w.holder) for w in snapshot.cycle} == {
        ("T1", "Lock 2", "T2"), ("T2", "Lock 1", "T1")}
    assert all(w.source == "if second.acquire(timeout=2):" for w in snapshot.cycle)
    final = rec.trace
    assert final.outcome == "ok" and final.cycle is None and give_up  # one gave up, one went on


def test_many_threads_lose_nothing():
    with record(lines=False) as rec:
        lock = threading.Lock()
        n = 0

        def work():
            nonlocal n
            for _ in range(200):
                with lock:
                    n += 1

        run_threads(*[work] * 8)
    trace = rec.trace
    assert n == 1600
    assert ops(trace).count("acquire") == ops(trace).count("release") == 1600
    assert len(trace.threads) == 8 + 0  # the main thread did nothing recorded


def _two_named_locks():
    import autograder

    # The same order in both: the primitive first, then the name it goes by.
    return SimpleNamespace(a=label(threading.Lock(), "left fork"),
                           b=autograder.name(threading.Lock(), "right fork"))


def _take_both(s):
    with s.a:
        with s.b:
            pass


def test_label_names_engine_primitives_as_autograder_name_does():
    """``course.label(obj, name)`` and ``autograder.name(obj, label)`` take the object first and
    the text second; on the engine's primitives both set the name its traces show."""
    import inspect

    import autograder
    from course.bridge.counterexample import walk

    for function in (label, autograder.name):
        first, second = inspect.signature(function).parameters.values()
        assert first.name == "obj" and second.kind is second.POSITIONAL_OR_KEYWORD
    trace, _ = walk(_two_named_locks, {"T": _take_both}, ["T"] * 8)
    assert [e.obj for e in trace.events if e.op == "acquire"] == ["left fork", "right fork"]
