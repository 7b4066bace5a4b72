"""CPython's own ``Lib/test/lock_tests.py`` against the engine's controlled primitives.

Each Python runs the file its own standard library ships (``test.lock_tests``; skipped, with the
reason, where the interpreter has no ``test`` package). Each test method runs as the one thread of
an execution (``autograder.run_once``): the primitives it creates are the controlled ones, the
helper threads it starts (``Bunch``) are managed threads, and its ``time.sleep``/``time.monotonic``
are the virtual clock. The loader and the ``test.support`` stand-ins are in
``tests/engine/lock_tests/``.
"""

from __future__ import annotations

import threading
import unittest
from typing import Any

import pytest

from autograder import RandomScheduler, run_once

from . import lock_tests

try:
    lt = lock_tests.load()
except lock_tests.MissingTestPackage as exc:
    pytest.skip(str(exc), allow_module_level=True)


def _factory(kind: str) -> Any:
    """Look ``threading.<kind>`` up at call time: during a run it is the engine's factory."""
    return staticmethod(lambda *args, **kwargs: getattr(threading, kind)(*args, **kwargs))


class LockTests(lt.LockTests):
    locktype = _factory("Lock")


class RLockTests(lt.RLockTests):
    locktype = _factory("RLock")


class EventTests(lt.EventTests):
    eventtype = _factory("Event")


class ConditionTests(lt.ConditionTests):
    condtype = _factory("Condition")


class ConditionWithLockTests(lt.ConditionTests):
    condtype = staticmethod(lambda *a: threading.Condition(*a) if a
                            else threading.Condition(threading.Lock()))


class SemaphoreTests(lt.SemaphoreTests):
    semtype = _factory("Semaphore")


class BoundedSemaphoreTests(lt.BoundedSemaphoreTests):
    semtype = _factory("BoundedSemaphore")


class BarrierTests(lt.BarrierTests):
    barriertype = _factory("Barrier")


for _cls in (LockTests, RLockTests, EventTests, ConditionTests, ConditionWithLockTests,
             SemaphoreTests, BoundedSemaphoreTests, BarrierTests):
    _cls.__test__ = False  # pytest runs them through the engine below, not as plain unittests

CASES = [LockTests, RLockTests, EventTests, ConditionTests, ConditionWithLockTests,
         SemaphoreTests, BoundedSemaphoreTests, BarrierTests]

#: Tests of a private attribute or of CPython's implementation, with the reason.
SKIPS = {
    "EventTests.test_at_fork_reinit":
        "private: checks Event._cond, the threading.Condition inside CPython's Event; the "
        "controlled Event is one scheduling object with no inner condition",
    "ConditionWithLockTests.test_acquire":
        "not for this case: it acquires the condition twice, which needs the default RLock "
        "(its Lock part builds its own conditions, as ConditionTests.test_acquire does)",
}


def _params() -> list[Any]:
    out = []
    for cls in CASES:
        for name in unittest.TestLoader().getTestCaseNames(cls):
            test_id = f"{cls.__name__}.{name}"
            marks = [pytest.mark.skip(reason=SKIPS[test_id])] if test_id in SKIPS else []
            out.append(pytest.param(cls, name, id=test_id, marks=marks))
    return out


def run_case(cls: type[unittest.TestCase], name: str, scheduler: Any = None) -> Any:
    """Run one test method (setUp, the test, tearDown) as the only thread of an execution."""
    case = cls(name)
    skipped: list[str] = []

    def main() -> None:
        case.setUp()
        try:
            getattr(case, name)()
        except unittest.SkipTest as exc:
            skipped.append(str(exc))
        finally:
            case.tearDown()

    # lock_tests waits for its helper threads by polling (``while len(results) < N: _wait()``):
    # busy-waiting on purpose, so it is not the failure the course's contracts make it
    res = run_once(None, [("main", main)], scheduler=scheduler, watchdog=5.0,
                   max_steps=200_000, busy_wait=False)
    if skipped:
        pytest.skip(skipped[0])
    return res


@pytest.mark.parametrize(("cls", "name"), _params())
def test_cpython_lock_tests(cls: type[unittest.TestCase], name: str) -> None:
    res = run_case(cls, name)
    assert res.ok, res.message


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize(("cls", "name"), [
    (LockTests, "test_acquire_contended"), (ConditionTests, "test_notify"),
    (SemaphoreTests, "test_acquire_contended"), (BarrierTests, "test_reset"),
    (BarrierTests, "test_abort_and_reset"), (EventTests, "test_set_and_clear"),
])
def test_random_schedules(cls: type[unittest.TestCase], name: str, seed: int) -> None:
    """The contended tests also pass when the threads are interleaved at random."""
    res = run_case(cls, name, RandomScheduler(seed))
    assert res.ok, res.message
