"""Every scheduler follows the ``Scheduler`` protocol the execution calls, and a scheduler
written from the protocol alone (``choose`` only, no optional attributes) runs an execution."""

from __future__ import annotations

from autograder import (
    FirstScheduler,
    ManualScheduler,
    PCTScheduler,
    RandomScheduler,
    ReplayScheduler,
    run_once,
)
from autograder.exploration.dpor import Explorer
from autograder.exploration.schedulers import Scheduler, TreeScheduler
from autograder.runtime.scheduler import Scheduler as RuntimeScheduler


def test_the_engine_s_schedulers_follow_the_protocol():
    assert Scheduler is RuntimeScheduler
    schedulers = [FirstScheduler(), ReplayScheduler(["T1"]), RandomScheduler(1),
                  PCTScheduler(1), TreeScheduler(), ManualScheduler(), Explorer().scheduler()]
    for s in schedulers:
        assert isinstance(s, Scheduler), type(s).__name__
    assert not isinstance(object(), Scheduler)


# A scheduler is the harness's code, not the code under test: compiled from a string here, so
# that the engine does not trace it as it traces what the test module defines beside the threads.
_LAST_FIRST = '''
class LastFirst:
    """Always the most recently created thread that can run."""

    def __init__(self):
        self.seen = []

    def choose(self, rt, enabled):
        self.seen.append([t.name for t in enabled])
        return enabled[-1]
'''
_ns: dict = {}
exec(compile(_LAST_FIRST, "<test scheduler>", "exec"), _ns)
LastFirst = _ns["LastFirst"]


def test_a_scheduler_with_only_choose_drives_an_execution():
    order = []
    sched = LastFirst()
    r = run_once(None, {"a": lambda: order.append("a"), "b": lambda: order.append("b")},
                 scheduler=sched)
    assert r.ok, r.message
    assert isinstance(sched, Scheduler)
    assert sched.seen[0] == ["a", "b"]
    assert r.schedule[0] == "b"
    assert order == ["b", "a"]
