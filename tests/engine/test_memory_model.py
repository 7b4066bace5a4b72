"""The memory model (issue 18): every read and write of shared state is a step where it happens,
keyed by the object it touches, whatever path reached it. Each program here was answered
``ok`` and exhaustive by the engine before, although one schedule at its own step granularity
breaks it."""

from __future__ import annotations

import collections
import heapq
from types import SimpleNamespace

import pytest

from autograder import explore
from autograder.runtime import tracing

WARM_UP = 1 if tracing.USE_MONITORING else 0  # 3.12+ runs the program once first


class Shared:
    def __init__(self) -> None:
        self.scores = {"ann": 1, "bob": 2}
        self.items = [1]
        self.tags = {1, 2}
        self.d = {"k": 1}
        self.x = 0
        self.total = 0
        self.seen: object = None
        self.attributes = self.__dict__


def _tally(s):
    for _name in s.scores:
        s.total += 1


def _register(s):
    s.scores["cy"] = 3


def test_a_dict_changed_during_a_loop_over_it_is_found():
    r = explore(Shared, [_tally, _register])
    assert r.verdict == "exception", r.message
    assert "dictionary changed size during iteration" in r.message
    assert not r.replay().ok


def _set_loop(s):
    for _tag in s.tags:
        s.total += 1


def _set_add(s):
    s.tags.add(5)


def _list_comprehension(s):
    s.seen = [i for i in s.items]  # noqa: C416 - the loop is the point


def _generator_sum(s):
    s.seen = sum(i for i in s.items)


def _append(s):
    s.items.append(2)


@pytest.mark.parametrize("reader, writer, invariant", [
    (_set_loop, _set_add, None),
    (_list_comprehension, _append, lambda s: s.seen == [1]),
    (_generator_sum, _append, lambda s: s.seen == 1),
], ids=["set loop", "list comprehension", "generator expression"])
def test_each_item_a_loop_fetches_is_a_step(reader, writer, invariant):
    r = explore(Shared, [reader, writer], invariant)
    assert not r.ok, r.message


def _alias_len_then_extend(s):
    items = s.items
    n = len(items)
    items += [2]
    s.seen = n


def _alias_append(s):
    items = s.items
    items.append(3)


def test_a_container_reached_through_a_local_alias_races():
    r = explore(Shared, [_alias_len_then_extend, _alias_append],
                lambda s: s.seen == 1 and len(s.items) == 3)
    assert r.verdict == "invariant", r.message


def _stored_get(s):
    get = s.d.get
    s.x = 1
    s.seen = get("k")


def _put(s):
    s.d["k"] = 2


def test_a_bound_method_called_later_reads_where_it_is_called():
    r = explore(Shared, [_stored_get, _put], lambda s: s.seen == 1)
    assert r.verdict == "invariant", r.message


def _getattr_setattr(s):
    value = getattr(s, "x")  # noqa: B009 - the builtin is the point
    setattr(s, "x", value + 1)  # noqa: B010


def _through_dict(s):
    s.__dict__["x"] = s.__dict__["x"] + 1


def _through_vars(s):
    vars(s)["x"] += 1


def _plain(s):
    s.x += 1


def _through_a_dict_taken_before(s):
    s.attributes["x"] += 1  # ``s.__dict__``, kept by the setup


@pytest.mark.parametrize("one, two", [
    (_getattr_setattr, _getattr_setattr),
    (_through_dict, _plain),
    (_through_vars, _plain),
    (_getattr_setattr, _plain),
    (_through_a_dict_taken_before, _plain),
], ids=["getattr/setattr", "__dict__ vs attribute", "vars vs attribute", "getattr vs attribute",
        "a __dict__ kept by the setup vs attribute"])
def test_the_same_attribute_reached_two_ways_races(one, two):
    r = explore(Shared, [one, two], lambda s: s.x == 2)
    assert r.verdict == "invariant", r.message


def test_two_objects_attributes_of_one_name_are_independent():
    def setup():
        return SimpleNamespace(a=Shared(), b=Shared())

    def bump_a(s):
        s.a.x += 1

    def bump_b(s):
        s.b.x += 1

    r = explore(setup, [bump_a, bump_b], lambda s: s.a.x == s.b.x == 1)
    assert r.ok and r.exhaustive and r.executions == 1 + WARM_UP, r.message


def test_a_class_attribute_read_through_an_instance_races_with_its_write():
    class Counter:
        count = 0

    def setup():
        return SimpleNamespace(c=Counter(), cls=Counter)

    def through_instance(s):
        s.seen = s.c.count

    def through_class(s):
        s.cls.count += 1

    r = explore(setup, [through_instance, through_class], lambda s: s.seen == 0)
    assert r.verdict == "invariant", r.message


def test_reading_a_defaultdict_slot_is_a_write():
    def setup():
        return SimpleNamespace(d=collections.defaultdict(int), seen=None)

    def touch(s):
        s.d["a"]

    def count(s):
        s.seen = len(s.d)

    r = explore(setup, [touch, count], lambda s: s.seen == 1)
    assert r.verdict == "invariant", r.message


def test_an_untraced_function_writes_what_it_is_handed():
    def setup():
        return SimpleNamespace(h=[], seen=None)

    def push(s):
        heapq.heappush(s.h, 1)

    def peek(s):
        s.seen = len(s.h)

    r = explore(setup, [push, peek], lambda s: s.seen == 1)
    assert r.verdict == "invariant", r.message


def test_independent_slots_and_local_loops_add_no_executions():
    """A loop over a range and a list of the thread's own is no race."""
    def setup():
        return SimpleNamespace(slots=[0, 0])

    def worker(i):
        def run(s):
            mine = [1, 2, 3]
            for k in range(len(mine)):
                s.slots[i] += mine[k]
        return run

    r = explore(setup, [worker(0), worker(1)], lambda s: s.slots == [6, 6])
    assert r.ok and r.exhaustive and r.executions == 1 + WARM_UP, r.message
