"""The manual scheduler behind "you are the scheduler": step, undo, reset, reach a goal."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import pytest

from autograder import ManualSession
from autograder.runtime import execution


class Counter:
    def __init__(self):
        self.value = 0

    def increment(self):
        self.value += 1


def once(c):
    c.increment()


def run_to_end(s: ManualSession, order: list[str]) -> None:
    for name in order:
        s.step(name)


def test_a_person_can_produce_the_lost_update():
    s = ManualSession(Counter, {"A": once, "B": once})
    try:
        assert s.runnable() == ["A", "B"]
        s.step("A")  # A starts and stops before reading value
        s.step("A")  # A reads value
        assert s.positions()["A"][1] == "self.value += 1"
        s.step("B")
        s.step("B")  # B reads value (0)
        s.step("B")  # B writes 1 and finishes
        assert "B" not in s.runnable()
        s.step("A")  # A writes 1: an update is lost
        assert s.done and s.outcome == "ok"
        assert s.state.value == 1
        assert [e.op for e in s.trace.events if e.thread == "A" and e.obj == "self.value"] == [
            "read", "write"]
    finally:
        s.close()
    assert not execution.registry


def test_undo_takes_back_one_step_and_reset_starts_over():
    s = ManualSession(Counter, {"A": once, "B": once})
    try:
        s.step("A")
        s.step("A")
        s.undo()
        assert s.history == ["A"]
        events_after_undo = [(e.thread, e.op) for e in s.trace.events]
        assert ("A", "read") not in events_after_undo
        s.reset()
        assert s.history == [] and s.runnable() == ["A", "B"]
        with pytest.raises(ValueError, match="cannot run now"):
            s.step("C")
    finally:
        s.close()


def test_a_deadlock_reached_by_hand_is_reported_with_holders():
    def setup():
        return SimpleNamespace(a=threading.Lock(), b=threading.Lock())

    def ab(st):
        with st.a:
            with st.b:
                pass

    def ba(st):
        with st.b:
            with st.a:
                pass

    s = ManualSession(setup, {"T1": ab, "T2": ba})
    try:
        for name in ["T1", "T1", "T1", "T2", "T2", "T2"]:  # each takes its first lock
            s.step(name)
        assert s.holders() == {"a": "T1", "b": "T2"}
        s.step("T1")  # reads st.b, then asks for b: blocked
        assert s.runnable() == ["T2"]
        assert s.positions()["T1"][1] == "with st.b:"
        s.step("T2")  # reads st.a, asks for a: every thread is blocked
        assert s.done and s.outcome == "deadlock"
        assert {(e.thread, e.holder) for e in s.trace.cycle} == {("T1", "T2"), ("T2", "T1")}
    finally:
        s.close()
