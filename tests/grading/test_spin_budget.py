"""Issue 22, item 3: a spinning answer is decided by the engine within its ``time_budget``
(wall time: budget 2 s -> at most 3 s), with a verdict that names the spin, not by a cell
timeout. The three shapes: a loop inside a lock, ``while True`` in a method, and a loop that
swallows the interrupt (Ctrl-C, and the engine's own unwinding)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from autograder import explore
from autograder.grading.plugins.timing import cpu_stall

BUDGET = 2.0
WALL_LIMIT = 3.0


class Answers:
    def __init__(self):
        self.value = 0
        self._lock = threading.Lock()

    def spin_inside_lock(self):
        with self._lock:
            while self.value < 10**9:
                pass

    def while_true_in_method(self):
        while True:
            self.value += 1

    def ignores_ctrl_c(self):
        with self._lock:
            while True:
                try:
                    while True:
                        pass
                except BaseException:  # noqa: BLE001 - the point: it swallows KeyboardInterrupt
                    pass


def decide(method: str) -> tuple[str, str, float, float, float | None]:
    """(verdict, assertion message, wall seconds, CPU seconds, seconds some task waited for a
    CPU meanwhile) of exploring two threads running `method`."""
    fn = getattr(Answers, method)
    stall0, cpu0, t0 = cpu_stall(), time.process_time(), time.perf_counter()
    result = explore(Answers, [fn, fn], lambda a: True, time_budget=BUDGET)
    wall, cpu, stall1 = time.perf_counter() - t0, time.process_time() - cpu0, cpu_stall()
    stall = None if stall0 is None or stall1 is None else stall1 - stall0
    try:
        result.assert_ok()
    except AssertionError as error:
        return result.verdict, str(error), wall, cpu, stall
    return result.verdict, "", wall, cpu, stall


@pytest.mark.parametrize("method", ["spin_inside_lock", "while_true_in_method",
                                    "ignores_ctrl_c"])
def test_a_spin_is_decided_within_the_time_budget(method):
    from autograder.grading.checks.checks import BUSY_STALL_SHARE

    # in a process of its own: the answer that swallows every interrupt never ends its thread
    code = ("import json, sys; sys.path.insert(0, sys.argv[1]); "
            "from test_spin_budget import decide; print(json.dumps(decide(sys.argv[2])))")
    done = subprocess.run([sys.executable, "-c", code, str(Path(__file__).parent), method],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    verdict, message, wall, cpu, stall = json.loads(done.stdout.strip().splitlines()[-1])
    assert verdict == "spin", (verdict, message)
    assert re.search(r"(?i)spinning|endless loop|livelock", message), message
    said = f"{method}: {wall:.2f} s, {cpu:.2f} s of CPU with time_budget={BUDGET}"
    assert cpu <= WALL_LIMIT, said
    # The wall-time bound is for a core of its own: on a machine so busy that runnable tasks
    # waited for a CPU a good share of the time (Linux PSI), only the CPU bound above holds
    # (the engine bounds executions by steps, not by a clock that load would make unfair).
    busy = stall is not None and stall > BUSY_STALL_SHARE * wall
    assert wall <= WALL_LIMIT or busy, said + (f", CPUs contended {stall / wall:.0%}"
                                               if stall is not None else "")
