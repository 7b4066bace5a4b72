"""Time on the virtual clock: ``time.sleep`` is a scheduling step that waits for virtual time,
``time.monotonic``/``time``/``perf_counter`` (and their ``_ns``) read it (installed by
:mod:`autograder.sync.patching`)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ..base import _real
from ..base._seal import Sealed, seal
from ..runtime.execution import VIRTUAL_EPOCH, VIRTUAL_START, Execution
from ..runtime.ops import Op
from ..runtime.threads import MThread
from .base import _creating_execution, _managed


class _SleepOp(Op, metaclass=Sealed):
    __slots__ = ("seconds",)
    trace_op = "wake"
    block_word = "sleep"

    def __init__(self, t: MThread, rt: Execution, seconds: float) -> None:
        super().__init__(f"sleep:{t.tid}", False, f"{seconds:g} s", "sleep", None)
        self.seconds = seconds
        self.deadline = rt.now + seconds

    def enabled(self, rt: Execution, t: MThread) -> bool:
        return rt.now >= self.deadline  # type: ignore[operator]

    def blocks_on(self) -> str | None:
        return f"sleeping until t={self.deadline - VIRTUAL_START:g} s"  # type: ignore[operator]


def _sleep(seconds: float) -> None:
    t = _managed()
    if t is None:
        if _creating_execution() is not None:
            return  # a setup or check that sleeps: virtual time does not move outside threads
        return _real.sleep(seconds)
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    t.rt.sync(_SleepOp(t, t.rt, seconds))
    return None


def _virtual(real: Callable[[], float], offset: float) -> Callable[[], float]:
    def clock() -> float:
        rt = _creating_execution()
        return rt.now + offset if rt is not None else real()

    clock.__name__ = real.__name__
    return clock


def _virtual_ns(real: Callable[[], int], offset: float) -> Callable[[], int]:
    def clock() -> int:
        rt = _creating_execution()
        return int((rt.now + offset) * 1e9) if rt is not None else real()

    clock.__name__ = real.__name__
    return clock


_EPOCH_OFFSET = VIRTUAL_EPOCH - VIRTUAL_START
TIME_REPLACEMENTS: dict[str, Any] = {
    "sleep": _sleep,
    "monotonic": _virtual(time.monotonic, 0.0),
    "perf_counter": _virtual(time.perf_counter, 0.0),
    "time": _virtual(time.time, _EPOCH_OFFSET),
    "monotonic_ns": _virtual_ns(time.monotonic_ns, 0.0),
    "perf_counter_ns": _virtual_ns(time.perf_counter_ns, 0.0),
    "time_ns": _virtual_ns(time.time_ns, _EPOCH_OFFSET),
}

seal(__name__)  # the code under test cannot rewrite the grader
