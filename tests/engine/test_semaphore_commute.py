"""Semaphore acquires that leave permits commute (issue 18): the search explores fewer
executions and still finds every outcome a semaphore written over a condition has."""

from __future__ import annotations

import threading
from types import SimpleNamespace

from autograder import explore


class _CondSemaphore:
    """A reference semaphore written from the threading documentation over a Condition: the
    engine explores its code step by step, with no knowledge that acquires commute."""

    def __init__(self, value):
        self._cond = threading.Condition(threading.Lock())
        self._value = value

    def acquire(self, blocking=True, timeout=None):
        with self._cond:
            if not blocking and self._value == 0:
                return False
            if not self._cond.wait_for(lambda: self._value > 0, timeout):
                return False
            self._value -= 1
            return True

    def release(self):
        with self._cond:
            self._value += 1
            self._cond.notify()


def _permits(make, value):
    """A setup: ``make`` is a class, or the name of a ``threading`` factory, looked up in the
    run (where it makes controlled primitives)."""
    def setup():
        kind = getattr(threading, make) if isinstance(make, str) else make
        return SimpleNamespace(sem=kind(value), log=[], r1=None, r2=None, r3=None)
    return setup


def _outcomes(setup, threads, observe):
    from .reference import dpor_outcomes

    got = dpor_outcomes(setup, threads, observe)
    assert got.complete
    return {seen for kind, _, seen in got.seen if kind == "ok"}, got.executions


def test_each_of_three_threads_can_be_the_one_a_semaphore_of_two_turns_away():
    def taker(attr):
        def run(s):
            setattr(s, attr, s.sem.acquire(blocking=False))
        return run

    def timed(attr):
        def run(s):
            setattr(s, attr, s.sem.acquire(timeout=1))
        return run

    def observe(s):
        return s.r1, s.r2, s.r3

    one_out = {(False, True, True), (True, False, True), (True, True, False)}
    for make in (taker, timed):
        seen, _ = _outcomes(_permits("Semaphore", 2),
                            [make("r1"), make("r2"), make("r3")], observe)
        assert seen == one_out
    seen, _ = _outcomes(_permits("Semaphore", 3),
                        [taker("r1"), taker("r2"), taker("r3")], observe)
    assert seen == {(True, True, True)}


def test_semaphore_outcomes_equal_a_semaphore_written_over_a_condition():
    def visit(s):
        if s.sem.acquire(blocking=False):
            s.log.append(threading.current_thread().name)
            s.sem.release()
        else:
            s.log.append("busy")

    def stay(s):
        s.sem.acquire()
        s.log.append(threading.current_thread().name)

    def observe(s):
        return tuple(s.log)

    for value, threads in ((2, [stay, visit, visit]), (2, [stay, stay, visit]),
                           (1, [visit, stay])):
        ours, n = _outcomes(_permits("Semaphore", value), threads, observe)
        ref, n_ref = _outcomes(_permits(_CondSemaphore, value), threads, observe)
        assert ours == ref, (value, ours ^ ref)
        assert n <= n_ref


def test_bounded_semaphore_releases_stay_ordered():
    def give(s):
        name = threading.current_thread().name
        try:
            s.sem.release()
            s.log.append(f"{name} gave")
        except ValueError:
            s.log.append(f"{name} too many")

    def take_give(s):
        s.sem.acquire()
        give(s)

    def observe(s):
        return tuple(sorted(s.log))

    seen, _ = _outcomes(_permits("BoundedSemaphore", 1), [give, take_give], observe)
    assert seen == {("T1 gave", "T2 too many"), ("T1 too many", "T2 gave")}


def test_three_threads_on_two_permits_take_fewer_executions():
    from autograder.bench_programs import semaphore_three as program

    r = explore(program.setup, program.threads, program.invariant, time_budget=60)
    assert r.ok and r.exhaustive
    assert r.executions <= 340  # 311 (542 while every pair of acquires was dependent)
