"""Force a schedule of the model on real threads, no engine involved.

``Program.source(hooked=True)`` writes each shared operation of the model on a line of its own,
after a call of ``H()``. :func:`run` loads that variant, starts each thread on a real daemon
``threading.Thread`` and passes a baton: a thread stops in ``H()`` until the schedule names it
and the thread that ran the step before has reached its next ``H()`` (or ended), so exactly one
thread runs between two hooks, in the schedule's order. What the real threads end with (an
exception of one of them, every thread stuck at a step the schedule does not give it, or the
state ``observe`` sees) is returned in the model's form, so it can be compared with the end the
model says the schedule reaches. Every wait has a deadline.
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .randprog import Program, load

#: Seconds a whole run may take (timed operations of the programs really wait up to 0.5 s).
DEADLINE = 20.0


class _Abort(BaseException):
    """Unwinds a thread parked at a hook once the run is over."""


class Baton:
    """Lets one thread take one step at a time, in the schedule's order."""

    def __init__(self, schedule: Sequence[int], nthreads: int) -> None:
        self.schedule = list(schedule)
        self.nthreads = nthreads
        self.pos = 0
        self.running: int | None = None
        self.expected: set[int] = set(range(nthreads))
        self.parked: set[int] = set()
        self.done: set[int] = set()
        self.raised: list[tuple[int, str]] = []
        self.over = False
        self.cond = threading.Condition()
        self.local = threading.local()
        self.deadline = time.monotonic() + DEADLINE

    def hook(self) -> None:
        """``H()``: end this thread's step and wait for the schedule to give it the next."""
        me = self.local.slot
        with self.cond:
            if self.running == me:
                self.running = None
            self.parked.add(me)
            self.cond.notify_all()
            while not self.over and not (self.running is None and self.pos < len(self.schedule)
                                         and self.schedule[self.pos] == me):
                left = self.deadline - time.monotonic()
                if left <= 0:
                    raise _Abort
                self.cond.wait(left)
            if self.over:
                raise _Abort
            self.parked.discard(me)
            self.pos += 1
            self.running = me

    def start(self, thread: threading.Thread, slot: int) -> None:
        """``START(c, slot)``: the parent's step that starts child ``slot``."""
        with self.cond:
            self.expected.add(slot)
        thread.start()

    def run(self, slot: int, body: Any, state: Any) -> None:
        """``RUN``: a thread's whole life, its exception recorded."""
        self.local.slot = slot
        try:
            body(state)
        except _Abort:
            pass
        except Exception as e:  # noqa: BLE001 - what the thread raised is the result
            with self.cond:
                self.raised.append((slot, type(e).__name__))
        finally:
            with self.cond:
                if self.running == slot:
                    self.running = None
                self.parked.discard(slot)
                self.done.add(slot)
                self.cond.notify_all()

    def settled(self) -> bool:
        """The schedule is used up (or a thread raised) and no thread is between two hooks."""
        if self.running is not None:
            return False
        if self.raised:
            return True
        return self.pos == len(self.schedule) and self.expected <= self.parked | self.done

    def wait(self) -> bool:
        with self.cond:
            while not self.settled():
                left = self.deadline - time.monotonic()
                if left <= 0:
                    return False
                self.cond.wait(left)
            return True

    def finish(self) -> None:
        with self.cond:
            self.over = True
            self.cond.notify_all()


def load_hooked(prog: Program, folder: Path) -> Any:
    """Write and import the hooked variant of ``prog``."""
    return load(prog, folder, hooked=True)


def run(prog: Program, schedule: Sequence[int], folder: Path | None = None) -> tuple[Any, ...]:
    """Run ``prog`` on real threads in the order ``schedule`` (thread slots, one per model
    operation). Returns the end in the model's form, or ``("stuck", why, None)``."""
    if folder is None:
        with tempfile.TemporaryDirectory() as tmp:
            return run(prog, schedule, Path(tmp))
    module = load_hooked(prog, folder)
    n = len(prog.threads)
    baton = Baton(schedule, n)
    module.H, module.RUN, module.START = baton.hook, baton.run, baton.start
    state = module.setup()
    threads = [threading.Thread(target=baton.run, args=(t, module.THREADS[t], state),
                                daemon=True, name=f"T{t + 1}") for t in range(n)]
    try:
        for th in threads:
            th.start()
        settled = baton.wait()
        raised = list(baton.raised)
        pos, parked = baton.pos, set(baton.parked)
    finally:
        baton.finish()
        for th in threads:
            th.join(max(0.0, baton.deadline - time.monotonic()))
        sys.modules.pop(module.__name__, None)
    if not settled:
        return ("stuck", f"at step {pos} of {len(schedule)}", None)
    if raised:
        slot, name = raised[0]
        who = f"T{slot + 1}" if slot < n else "child"
        return ("exception", f"{who} raised {name}", None)
    if parked:
        return ("deadlock", "", None)
    return ("ok", "", module.observe(state))


def same_end(got: tuple[Any, ...], end: tuple[Any, ...]) -> bool:
    """Whether a real run's end is the model's ``end`` (a failure counts by its exception
    and thread, not by the kind the engine gives it)."""
    if end[0] in ("ok", "deadlock"):
        return got == end
    return got[0] == "exception" and got[1] == end[1]


def confirms(prog: Program, end: tuple[Any, ...], schedule: Sequence[int],
             folder: Path | None = None) -> bool:
    """Whether real threads forced through ``schedule`` end as the model says (``end``)."""
    return same_end(run(prog, schedule, folder), end)
