"""The failure message a student reads: consecutive step numbers, a spin shown once with a
count, a missing name as the headline."""

from __future__ import annotations

from types import SimpleNamespace

from autograder import explore
from autograder.exploration import report


class Spinner:
    def __init__(self):
        self.busy = True

    def wait(self):
        while self.busy:
            pass


def spin(s):
    s.wait()


def test_a_spin_is_shown_once_with_a_count():
    result = explore(Spinner, [spin], spin_limit=300, watchdog=1.0)
    assert result.verdict == "spin"
    message = result.message
    table = message.split("what happened\n", 1)[1]
    assert table.count("reads self.busy") == 1, message
    assert "this step repeats" in message and "(a loop)" in message
    assert len(message.splitlines()) < 25, message


def test_steps_are_numbered_one_by_one():
    def fresh():
        return SimpleNamespace(n=0)

    def bump(s):
        s.n += 1

    def two(s):
        assert s.n == 2, f"n is {s.n}"

    result = explore(fresh, [bump, bump], two)
    assert result.verdict == "invariant"
    rows = [line for line in result.message.split("what happened\n", 1)[1].splitlines()
            if line[:4].strip().isdigit()]
    assert [int(r[:4]) for r in rows] == list(range(1, len(rows) + 1)), result.message
    assert f"({len(rows)} steps," in result.message


def test_loop_detection_needs_three_repeats():
    assert report.loop_at(["a", "b", "a", "b", "c"], 0) == (0, 0)
    assert report.loop_at(["a", "b", "a", "b", "a", "b", "c"], 0) == (2, 3)
    assert report.loop_at(["x", "a", "a", "a", "a"], 1) == (1, 4)
    assert report.repeats_note(2, 3, 5) == (
        "... these 2 steps repeat 2 more time(s), steps 7-10 (a loop)")


def test_a_missing_class_is_the_headline():
    result = explore(lambda: NoSuchAccount(100), [lambda account: None])  # noqa: F821
    assert not result.ok
    first = result.message.splitlines()[0]
    assert first.startswith("`NoSuchAccount` is not defined: define it in the answer cell"), first
    assert report.undefined_name("NameError: name 'Counter' is not defined") == "Counter"
    assert report.undefined_name("ValueError: bad amount") is None


class _Account:
    def __init__(self):
        import threading

        self.lock = threading.Lock()
        self.balance = 10

    def withdraw(self, amount):
        self.lock.acquire()
        if amount > self.balance:
            raise ValueError("insufficient funds")
        self.balance -= amount
        self.lock.release()


def _big(a):
    try:
        a.withdraw(100)
    except ValueError:
        pass


def _small(a):
    a.withdraw(1)


def test_a_caught_exception_is_a_step_once_where_it_was_raised():
    """Lesson 01 section 3: the raise that skips ``release()`` must be in the interleaving,
    or the deadlock it causes has no visible reason (3.12+ reports a raise again in every
    caller it reaches: shown once)."""
    r = explore(_Account, [_big, _small])
    assert r.verdict == "deadlock", r.message
    rows = [ln for ln in r.message.splitlines() if "raises" in ln]
    assert len(rows) == 1 and "ValueError: insufficient funds" in rows[0], r.message
    assert 'raise ValueError("insufficient funds")' in rows[0]


def test_an_exception_from_a_primitive_is_shown_at_the_students_line():
    def release_twice(a):
        a.lock.acquire()
        a.lock.release()
        a.lock.release()

    r = explore(_Account, [release_twice])
    table = r.message.split("what happened", 1)[1]
    assert "raises RuntimeError: release unlocked lock" in table, r.message
    assert "a.lock.release()" in table and "was not caught" in table, r.message
