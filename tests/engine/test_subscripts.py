"""Precise keys for subscripts (``autograder.runtime.access``): independent slots are
independent, and everything that can be the same slot still conflicts, whatever path reached
the container or computed the index."""

from __future__ import annotations

import threading
from pathlib import Path
from types import SimpleNamespace

import pytest

from autograder import explore
from autograder.runtime import access, tracing

from .differential import check
from .randprog import Program


def _philosophers(n: int, meals: bool):
    def setup():
        return SimpleNamespace(forks=[threading.Lock() for _ in range(n)], meals=[0] * n)

    def philosopher(i):
        def run(s):
            a, b = sorted((i, (i + 1) % n))
            with s.forks[a]:
                with s.forks[b]:
                    if meals:
                        s.meals[i] += 1
        return run

    return setup, [philosopher(i) for i in range(n)]


def test_counting_meals_in_a_list_adds_no_interleavings():
    """Issue 8 section 5: per-philosopher counters ``s.meals[i] += 1`` (``i`` from a closure)
    touched one coarse key, and five philosophers did not finish in 120 s."""
    setup, threads = _philosophers(5, meals=True)
    r = explore(setup, threads, lambda s: s.meals == [1] * 5, time_budget=60)
    bare_setup, bare = _philosophers(5, meals=False)
    base = explore(bare_setup, bare, time_budget=60)
    assert r.ok and r.exhaustive, r.message
    assert r.executions == base.executions, (r.executions, base.executions)


@pytest.mark.parametrize("first, second", [
    ("s.slots[0] += 1", "s.slots[0] += 1"),
    ("s.slots[-1] += 1", "s.slots[1] += 1"),  # -1 and 1 are one slot of a 2-list
    ("s.table[1] += 1", "s.table[True] += 1"),  # 1 == True: one dict slot
    ("s.slots[i] += 1", "s.slots[0] += 1"),  # a local index
    ("alias = s.slots\n    alias[0] += 1", "s.slots[0] += 1"),  # another name, same list
    ("s.slots[K] += 1", "s.slots[0] += 1"),  # a global index
])
def test_the_same_slot_reached_two_ways_still_races(tmp_path: Path, first: str, second: str):
    source = (
        "from types import SimpleNamespace\nK = 0\n\n"
        "def setup():\n    return SimpleNamespace(slots=[0, 0], table={1: 0})\n\n"
        f"def one(s):\n    i = 0\n    {first}\n\n"
        f"def two(s):\n    {second}\n")
    path = tmp_path / "prog.py"
    path.write_text(source)
    ns: dict = {}
    exec(compile(source, str(path), "exec"), ns)
    r = explore(ns["setup"], [ns["one"], ns["two"]],
                lambda s: sum(s.slots) + sum(s.table.values()) == 2)
    assert r.verdict == "invariant", (first, second, r.message)


def test_a_method_call_on_the_list_races_with_every_slot():
    def setup():
        return SimpleNamespace(slots=[0, 0])

    def insert(s):
        s.slots.insert(0, 5)

    def bump(s):
        s.slots[0] += 1

    r = explore(setup, [insert, bump], lambda s: s.slots[0] == 5)
    assert r.verdict == "invariant", r.message


def test_different_slots_of_one_list_do_not_race():
    def setup():
        return SimpleNamespace(slots=[0, 0])

    def zero(s):
        s.slots[0] += 1

    def one(s):
        s.slots[1] += 1

    r = explore(setup, [zero, one], lambda s: s.slots == [1, 1])
    warm_up = 1 if tracing.USE_MONITORING else 0  # 3.12+ runs the program once first
    assert r.ok and r.executions == 1 + warm_up, r.message


def test_an_index_computed_by_code_is_still_precise():
    """The container and the index are read from the stack where the subscript runs: an index
    a function computed names its slot as well as a constant does."""
    def setup():
        return SimpleNamespace(slots=[0, 0])

    def at(i):
        return i

    def zero(s):
        s.slots[at(0)] += 1

    def one(s):
        s.slots[at(1)] += 1

    r = explore(setup, [zero, one], lambda s: s.slots == [1, 1])
    warm_up = 1 if tracing.USE_MONITORING else 0
    assert r.ok and r.executions == 1 + warm_up, r.message


def test_a_container_from_either_branch_races_with_the_one_it_is():
    def setup():
        return SimpleNamespace(a=[0], b=[0], c=True)

    def pick(s):
        (s.a if s.c else s.b)[0] += 1

    def bump(s):
        s.a[0] += 1

    r = explore(setup, [pick, bump], lambda s: s.a == [2])
    assert r.verdict == "invariant", r.message


def test_slots_name_exact_lists_and_dicts_only():
    class Table(dict):
        pass

    assert access.slot([0, 1], 1) == "1"
    assert access.slot([0, 1], -1) == "*"
    assert access.slot({}, True) == access.slot({}, 1) == "1"
    assert access.slot({}, "a") == "'a'"
    assert access.slot({}, 1.0) == "*"
    assert access.slot(Table(), 1) == "*"
    assert access.slot((0, 1), 0) == "*"


def _prog(*threads) -> Program:
    return Program([], [], [list(t) for t in threads])


@pytest.mark.parametrize("threads", [
    # a slot read in flight on a list another thread rebinds, while a third writes the old list
    ([("slog", 0, "a", "global")], [("rebind", 2)], [("sinc", 0, 1, "const")]),
    ([("slog", 0, "a", "local")], [("rebind", 2), ("sput", 0, 1, "const")],
     [("sinc", 0, 1, "global")]),
    # a number that another thread rebinds to a list and then appends to
    ([("boxlog", "a")], [("boxlist", "b"), ("boxadd", "c")]),
    ([("boxlog", "a"), ("boxadd", "d")], [("boxlist", "b")], [("boxadd", "c")]),
    ([("ssum", "a")], [("sinc", 1, 2, "local")], [("sput", 0, 1, "global")]),
])
def test_slots_and_rebinds_agree_with_the_model(tmp_path: Path, threads):
    verdict = check(_prog(*threads), tmp_path, twice=True)
    assert not verdict.problems, "\n".join(verdict.problems)
