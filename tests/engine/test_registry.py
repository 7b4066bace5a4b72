"""The registry of controlled primitives (``autograder/sync/base.py``): what patching builds the
``threading`` factories and the twins of real objects from, so that adding a primitive is one
file and one line (docs/internals.md)."""

from __future__ import annotations

import threading

import pytest

from autograder.base import _real
from autograder.sync import base, patching
from autograder.sync.barrier import Barrier
from autograder.sync.condition import Condition
from autograder.sync.event import Event
from autograder.sync.lock import Lock
from autograder.sync.rlock import RLock
from autograder.sync.semaphore import BoundedSemaphore, Semaphore

ALL = {"Lock": Lock, "RLock": RLock, "Semaphore": Semaphore,
       "BoundedSemaphore": BoundedSemaphore, "Event": Event, "Condition": Condition,
       "Barrier": Barrier}


def test_every_primitive_file_registers_its_class_under_its_kind():
    assert base.KINDS == ALL
    assert set(patching.FACTORIES) == set(ALL)
    for kind in ALL:
        assert kind in _real.threading_originals, f"threading.{kind} was not captured"


class _MyEvent(threading.Event):
    pass


@pytest.mark.parametrize("make, expected", [
    (lambda: _real.threading_originals["Lock"](), Lock),
    (lambda: _real.threading_originals["RLock"](), RLock),
    (lambda: _real.threading_originals["Semaphore"](2), Semaphore),
    (lambda: _real.threading_originals["BoundedSemaphore"](2), BoundedSemaphore),
    (lambda: _real.threading_originals["Event"](), Event),
    (lambda: _real.threading_originals["Condition"](), Condition),
    (lambda: _real.threading_originals["Barrier"](2), Barrier),
    (_MyEvent, Event),  # a subclass of a real type: its nearest registered base
], ids=lambda v: getattr(v, "__name__", "real"))
def test_a_real_object_is_twinned_by_the_most_derived_registered_class(make, expected):
    real = make()
    assert base.twin_class(real) is expected
    assert type(base.twin(real)) is expected
    assert patching._is_real_primitive(real)


def test_what_is_not_a_real_primitive_has_no_twin():
    for value in (Lock(), Event(), 3, "lock", object(), None):
        assert base.twin_class(value) is None
        assert base.twin(value) is value
        assert not patching._is_real_primitive(value)


def test_a_twin_starts_in_the_state_of_the_real_object():
    lock = _real.threading_originals["Lock"]()
    lock.acquire()
    assert base.twin(lock)._count == 1
    assert base.twin(_real.threading_originals["Lock"]())._count == 0
    sem = _real.threading_originals["BoundedSemaphore"](3)
    sem.acquire()
    twin = base.twin(sem)
    assert (twin._value, twin._initial) == (2, 3)
    assert base.twin(_real.threading_originals["Semaphore"](5))._value == 5
    ev = _real.threading_originals["Event"]()
    ev.set()
    assert base.twin(ev)._flag is True
    cond = base.twin(_real.threading_originals["Condition"](_real.threading_originals["Lock"]()))
    assert type(cond._lock) is Lock
    assert type(base.twin(_real.threading_originals["Condition"]())._lock) is RLock
    bar = base.twin(_real.threading_originals["Barrier"](3, timeout=2.0))
    assert (bar.parties, bar._timeout) == (3, 2.0)


def test_registering_needs_the_class_s_own_kind_and_real_types():
    class Inherits(Lock):  # would take Lock's kind and real type
        pass

    class Twice(Lock):
        _kind = "Lock"
        _real_types = ()

    for klass in (Inherits, Twice):
        with pytest.raises(TypeError):
            base.primitive(klass)
    assert base.KINDS == ALL
    assert base.twin_class(_real.threading_originals["Lock"]()) is Lock
