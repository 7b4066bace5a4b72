"""One execution: real threads run one at a time, handing a baton at every scheduling point.

Each managed thread stops before every operation another thread could observe (a shared read or
write, a lock operation, ...) and publishes it as its *pending* operation. The thread holding the
baton asks the scheduler which enabled thread goes next and hands the baton over; the others wait
on a private real lock. The caller of :meth:`Execution.run` (the *controller*) only starts the
threads and watches: if no step happens for ``watchdog`` seconds, the running thread is stuck in
something the engine does not control, and the controller reports where.
"""

from __future__ import annotations

import linecache
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..base import _real
from ..base._seal import Sealed, seal
from ..base.errors import Abort, Failure
from ..base.trace import Event
from . import access, tracing
from .ops import Op, keys, keys_overlap
from .scheduler import Scheduler
from .threads import Handle, MThread, Worker, cpu_seconds, moving, raise_in, runnable

registry: dict[int, MThread] = tracing.registry  # managed threads by OS thread ident
#: The execution whose controller thread has this ident (set while setup and checks run).
controllers: dict[int, Execution] = {}

VIRTUAL_EPOCH = 1_700_000_000.0
#: The engine's package folder (``autograder/``): frames there are the engine's, not the student's.
_ENGINE_DIR = __file__.rsplit("/", 2)[0] + "/"
VIRTUAL_START = 1000.0


def _value_text(value: Any) -> str | None:
    """The trace's text for a step's value: ``value`` itself, or what the function gives."""
    if callable(value):
        try:
            value = value()
        except Exception:  # noqa: BLE001 - a value the engine cannot show is not shown
            return None
    return value if isinstance(value, str) else None


@dataclass
class StepRecord(metaclass=Sealed):
    """One scheduling decision: who ran, what it did, who could have run instead."""

    tid: int
    op: Op
    enabled: frozenset[int]
    pending: dict[int, Op]
    #: The virtual time at which the step ran.
    now: float = 0.0


def caller_location(op: Op) -> None:
    """Fill ``op``'s source location from the innermost traced frame of the calling thread."""
    f = sys._getframe(2)
    while f is not None:
        code = f.f_code
        if tracing.is_traced_code(code):
            op.line = f.f_lineno
            op.filename = code.co_filename
            op.function = code.co_name
            op.source = linecache.getline(code.co_filename, f.f_lineno).strip()
            return
        f = f.f_back


#: The watchdog does not count a tick in which the running thread was ready to run but got less
#: than this share of it in CPU time (the machine gave it no core), up to ``STARVED_LIMIT`` times
#: the watchdog's time in all: on a machine busy with other work a slow thread is not stuck.
STARVED_CPU = 0.1
STARVED_LIMIT = 10
_TRAIL = 64  # steps without progress kept per thread to recognise a loop


def _repetitions(trail: list[tuple[Any, ...]], most: int = 3) -> tuple[int, int]:
    """How many times in a row (up to ``most``) the last stretch of ``trail`` repeats: a loop
    that polls takes the same steps, in the same order, on the same objects, turn after turn.
    A loop over different objects (taking locks ``a``, ``b``, ``c``) does not repeat. Also
    returns the length of the stretch that repeats."""
    best, best_period = 1, 1
    n = len(trail)
    for period in range(1, min(16, n // 2) + 1):
        block = trail[n - period:]
        times = 1
        while times < most and n - (times + 1) * period >= 0 and \
                trail[n - (times + 1) * period:n - times * period] == block:
            times += 1
        if times > best:
            best, best_period = times, period
        if best >= most:
            break
    if len(trail) > _TRAIL:
        del trail[: len(trail) - _TRAIL]
    return best, best_period


def _hands_out(cycle: list[tuple[Any, ...]]) -> bool:
    """Whether a repeating stretch of steps gives out semaphore permits it does not take back
    (``for _ in range(n): turnstile.release()``): each turn changes what others can take, so
    it is no poll, although a release alone is not progress (taking and giving back a permit in
    a loop is polling)."""
    given = {w[2] for w in cycle if w[3] == "_SemReleaseOp"}
    return bool(given - {w[2] for w in cycle if w[3] == "_AcquireOp"})


class Execution(metaclass=Sealed):
    """Runs the threads of one program once, under one scheduler."""

    def __init__(self, threads: Sequence[tuple[str, Callable[[], Any]]], scheduler: Scheduler, *,
                 check_always: Callable[[], Any] | None = None, watchdog: float = 1.5,
                 spin_limit: int = 2000, max_steps: int = 20000,
                 reuse_threads: bool = True, fair_limit: int | None = None) -> None:
        self.thread_specs = list(threads)
        #: With a scheduler that asks for fairness, a thread that has taken the same step this
        #: many times without changing anything others can see (a loop that polls) yields to
        #: the threads that have not.
        self.fair_limit = fair_limit
        #: Loops seen repeating while another thread could run, first seen first: (thread,
        #: line, source, the keys the loop read). One is busy-waiting (``polled``) only if
        #: another thread writes what it reads: a loop over a local string is not waiting.
        self.polling: list[tuple[str, int | None, str, tuple[str, ...]]] = []
        self.reuse_threads = reuse_threads
        self.scheduler = scheduler
        self.check_always = check_always
        self.watchdog = watchdog
        self.spin_limit = spin_limit
        self.max_steps = max_steps
        self.threads: list[MThread] = []
        self.records: list[StepRecord] = []
        self.events: list[Event] = []
        self.now = VIRTUAL_START
        self.current: MThread | None = None
        self.outcome: str | None = None
        self.failure: Failure | None = None
        self.aborting = False
        self.done = _real.allocate_lock()
        self.done.acquire()
        self.ready = _real.allocate_lock()
        self.ready.acquire()
        self.objects: list[Any] = []  # controlled primitives, in creation order
        self.numbered: dict[int, tuple[int, Any]] = {}  # objects keyed in steps (number())
        self.keys = access.Keys(self.number)
        self.lock_edges: list[tuple[Any, Any, frozenset[Any], MThread, Op]] = []
        self.zombies: list[MThread] = []
        self.setup_children = 0  # threads the setup started (their names count them)
        self.controller_ident = _real.get_ident()

    # ---- object registry -------------------------------------------------------------------
    def number(self, obj: Any) -> int:
        """The number of ``obj`` among the objects subscripted in this execution, in the order
        first seen (the same in every execution that shares the schedule so far). The object
        is kept alive until the execution ends, so that its id is not reused."""
        entry = self.numbered.get(id(obj))
        if entry is None:
            entry = self.numbered[id(obj)] = (len(self.numbered) + 1, obj)
        return entry[0]

    def register(self, obj: Any) -> int:
        """Give a controlled primitive created in this execution its creation number."""
        self.objects.append(obj)
        return len(self.objects)

    # ---- recording -------------------------------------------------------------------------
    def emit(self, t: MThread, op: str, src: Op | None = None, *, obj: str | None = None,
             kind: str | None = None, obj_id: int | None = None, detail: str = "") -> None:
        """Append one event to the trace."""
        if src is not None:
            if obj is None:
                obj = src.label
            if kind is None:
                kind = src.kind
            if obj_id is None and src.obj is not None:
                obj_id = getattr(src.obj, "_eid", None)
        self.events.append(Event(
            step=len(self.records), thread=t.name, op=op, obj=obj, kind=kind, obj_id=obj_id,
            line=src.line if src else None, filename=src.filename if src else None,
            function=src.function if src else None, source=src.source if src else "",
            time=round(self.now - VIRTUAL_START, 9), detail=detail,
            value=_value_text(src.value) if src is not None and src.value is not None else None))

    # ---- entry points used by managed threads ----------------------------------------------
    def point(self, t: MThread, op: Op) -> None:
        """A traced shared-memory access is about to happen in ``t``."""
        if self.aborting:
            raise Abort
        if t.in_check:
            return
        if self.check_always is not None:  # the previous step of t is complete now
            self._check(t)
        t.pending = op
        self._decide(t)
        self.emit(t, op.trace_op, op)
        self._after_step(t, op)

    def raised(self, t: MThread, exc: BaseException, code: Any, line: int | None) -> None:
        """``t``'s traced code raised ``exc`` at ``line`` (or got it from a call there); an
        exception is shown once, where it first reached traced code, not in every caller."""
        if t.reported is exc:
            return
        t.reported = exc
        self.events.append(Event(
            step=len(self.records), thread=t.name, op="raise", line=line,
            filename=code.co_filename, function=code.co_name,
            source=linecache.getline(code.co_filename, line).strip() if line else "",
            time=round(self.now - VIRTUAL_START, 9), detail=f"{type(exc).__name__}: {exc}"
            if str(exc) else type(exc).__name__))

    def sync(self, op: Op) -> Any:
        """A synchronisation operation is about to happen in the calling managed thread."""
        t = registry[_real.get_ident()]
        if self.aborting:
            raise Abort
        if t.in_check:
            return op.observe(self, t)
        if self.check_always is not None:
            self._check(t)
        caller_location(op)
        t.pending = op
        if op.block_word is not None and not op.enabled(self, t):
            self.emit(t, op.block_word, op)
        self._decide(t)
        result = op.execute(self, t)
        self.emit(t, op.event_op(result), op)
        self._after_step(t, op)
        return result

    def _after_step(self, t: MThread, op: Op) -> None:
        t.pending = None
        if op.progress:
            t.spin = 0
            # what a polling thread waits for may have happened: every thread may look again
            for x in self.threads:
                if x.trail:
                    x.trail.clear()
                    x.loops = 0
                    x.cycle = []
        else:
            t.spin += 1
            where = (op.filename, op.line, op.key, type(op).__name__, op.turn)
            if where in t.trail:
                t.trail.append(where)
                times, period = _repetitions(t.trail)
                if times > t.loops and not _hands_out(t.trail[-period:]):
                    t.loops, t.cycle = times, t.trail[-period:]
            elif len(t.trail) < _TRAIL:
                t.trail.append(where)
            if t.spin > self.spin_limit:
                self._fail(t, Failure(
                    "spin", f"{t.name} ran {self.spin_limit} steps without changing anything "
                    "another thread can see: it is spinning (busy-waiting) instead of blocking.",
                    t.name, op.line, op.source))
        if len(self.records) > self.max_steps:
            self._fail(t, Failure(
                "spin", f"The threads took more than {self.max_steps} steps without finishing: "
                "a livelock or an endless loop.", t.name, op.line, op.source))

    def _check(self, t: MThread) -> None:
        t.in_check = True
        try:
            ok = self.check_always()  # type: ignore[misc]
        except AssertionError as e:
            ok = str(e) or False
        except Abort:
            raise
        except Exception as e:  # noqa: BLE001 - the check is test code; report what it raised
            ok = f"the check raised {type(e).__name__}: {e}"
        finally:
            t.in_check = False
        if ok is False or isinstance(ok, str):
            msg = ok if isinstance(ok, str) and ok else "the invariant does not hold"
            self._fail(t, Failure("invariant", f"After this step the invariant is broken: {msg}",
                                  t.name))

    def _fail(self, t: MThread, failure: Failure) -> None:
        """End the execution with ``failure``; ``t`` (the baton holder) unwinds."""
        if self.failure is None:
            self.failure = failure
        self._end(failure.kind)
        raise Abort

    # ---- scheduling --------------------------------------------------------------------------
    def enabled(self) -> list[MThread]:
        return [x for x in self.threads
                if not x.finished and x.pending is not None and x.pending.enabled(self, x)]

    def _decide(self, t: MThread) -> None:
        """Choose who runs the next step; return once ``t`` is the one chosen."""
        while True:
            chosen = self._choose()
            if chosen is None:  # the execution is over; wait to be unwound
                self._park(t)
            if chosen is t:
                return
            chosen.go.release()
            self._park(t)
            return

    def _park(self, t: MThread) -> None:
        t.go.acquire()
        if self.aborting:
            raise Abort

    def _choose(self) -> MThread | None:
        """Pick the next thread (advancing virtual time when all wait); None ends the run."""
        if self.outcome is not None:
            return None
        enabled = self.enabled()
        while not enabled:
            if all(x.finished or x.daemon for x in self.threads):
                # daemon threads the code started may wait forever, as Python lets them
                self._end("ok")
                return None
            if not self._advance_time():
                self._mark_blocked()
                self._end("deadlock")
                return None
            enabled = self.enabled()
        if self.fair_limit is not None:
            enabled = self._fair(enabled, getattr(self.scheduler, "fair", False))
        chosen = self.scheduler.choose(self, enabled)
        if chosen is None:
            self._end("pruned")
            return None
        pending = {x.tid: x.pending for x in self.threads if not x.finished and x.pending}
        self.records.append(StepRecord(chosen.tid, chosen.pending, frozenset(
            x.tid for x in enabled), pending, self.now))  # type: ignore[arg-type]
        self.current = chosen
        return chosen

    def _fair(self, enabled: list[MThread], fair: bool) -> list[MThread]:
        """Notes a thread that spins while another could run (``polled``) and, for a scheduler
        that asks for fairness, keeps it from running (as in CHESS): a thread spinning without
        progress does not run while a thread that is not spinning can, until some thread makes
        progress (then it may look again: what it polls for may have happened). Schedules in
        which a spinning thread starves the others forever are not real, and its extra turns
        between two changes read the same state. Only when every thread that can run is
        spinning does it go on (past ``spin_limit``, a livelock)."""
        limit = self.fair_limit or 0
        spinning = [t for t in enabled if t.loops >= limit]
        if not spinning or len(spinning) == len(enabled):
            return enabled
        for t in spinning:
            op = t.pending
            line = op.line if op else None
            if len(self.polling) < 16 and not any(
                    p[0] == t.name and p[1] == line for p in self.polling):
                read = tuple(dict.fromkeys(w[2] for w in t.cycle if w[2]))
                self.polling.append((t.name, line, op.source if op else "", read))
        return [t for t in enabled if t not in spinning] if fair else enabled

    @property
    def polled(self) -> tuple[str, int | None, str] | None:
        """(thread, line, source) of the first loop that busy-waited: it repeated while another
        thread could run, re-reading state that another thread writes in this execution, or
        that no thread writes any more (threads that only poll each other: a livelock)."""
        names = {t.tid: t.name for t in self.threads}
        limit = self.fair_limit or 0
        stuck = {t.name for t in self.threads if not t.finished and t.loops >= limit}
        idle = all(t.finished or t.name in stuck or (t.pending is not None and
                   not t.pending.enabled(self, t)) for t in self.threads)
        for name, line, source, read in self.polling:
            if idle and name in stuck:
                return name, line, source
            for rec in self.records:
                if rec.op.write and names.get(rec.tid) != name and \
                        keys_overlap(keys(rec.op), read):
                    return name, line, source
        return None

    def _mark_blocked(self) -> None:
        """Record a ``block`` for each waiting thread whose wait the trace does not show yet."""
        last: dict[str, Event] = {}
        for e in self.events:
            last[e.thread] = e
        for t in self.threads:
            if t.finished or t.pending is None or t.pending.block_word is None:
                continue
            e = last.get(t.name)
            if e is None or e.op not in ("block", "wait", "sleep"):
                self.emit(t, t.pending.block_word, t.pending)

    def _advance_time(self) -> bool:
        deadlines = [x.pending.deadline for x in self.threads
                     if not x.finished and x.pending is not None and x.pending.deadline is not None]
        future = [d for d in deadlines if d > self.now]
        if not future:
            return False
        self.now = min(future)
        return True

    def _end(self, outcome: str) -> None:
        if self.outcome is None:
            self.outcome = outcome
            self.done.release()

    # ---- thread lifecycle --------------------------------------------------------------------
    def add_thread(self, name: str, target: Callable[[], Any], handle: Any) -> MThread:
        """Create a managed thread on a pooled OS thread and wait until it is parked."""
        t = MThread(self, len(self.threads), name, target, handle)
        self.threads.append(t)
        (Worker.take() if self.reuse_threads else Worker()).run(self, t)
        self.ready.acquire()
        return t

    def _bootstrap(self, t: MThread) -> None:
        t.ident = _real.get_ident()
        t.native_id = _real.get_native_id()
        if isinstance(t.handle, Handle):
            t.handle.ident = t.handle.native_id = t.ident
        registry[t.ident] = t
        tracing.start_thread()
        self.ready.release()
        try:
            t.go.acquire()
            if self.aborting:
                raise Abort
            t.started = True
            self.emit(t, "start", t.pending)
            self._after_step(t, t.pending)  # type: ignore[arg-type]
            t.target()
        except Abort:
            pass
        except BaseException as e:  # noqa: BLE001 - any exception of the code under test
            if not self.aborting:
                self._thread_raised(t, e)
        else:
            if not self.aborting:
                self._thread_finished(t)
        finally:
            tracing.stop_thread()
            registry.pop(t.ident, None)
            t.exited = True

    def _thread_finished(self, t: MThread) -> None:
        if self.check_always is not None:
            try:
                self._check(t)
            except Abort:  # the check failed: the run is over
                return
        t.finished = True
        t.pending = None
        self.emit(t, "end")
        chosen = self._choose()
        if chosen is not None:
            chosen.go.release()

    def _thread_raised(self, t: MThread, e: BaseException) -> None:
        t.finished = True
        t.pending = None
        tb = traceback.extract_tb(e.__traceback__)
        frames = [f for f in tb if tracing.is_traced_file(f.filename)] or list(tb)
        last = frames[-1] if frames else None
        where = f" at line {last.lineno}: {(last.line or '').strip()}" if last else ""
        self.emit(t, "error", detail=f"{type(e).__name__}: {e}")
        kind = getattr(e, "_autograder_kind", "exception")
        self.failure = self.failure or Failure(
            kind, f"{t.name} raised {type(e).__name__}: {e}{where}", t.name,
            last.lineno if last else None, (last.line or "").strip() if last else "",
            [ln.rstrip() for ln in traceback.format_list(frames)])
        self._end(kind)

    # ---- the controller ------------------------------------------------------------------------
    def run(self) -> None:
        """Start every thread, hand the baton to the first, and watch until the run ends."""
        for name, target in self.thread_specs:
            self.add_thread(name, target, Handle(name))
        first = self._choose()
        if first is not None:
            first.go.release()
        self._watch()
        self._unwind()

    def _watch(self) -> None:
        last_steps, last_events, idle, starved = -1, -1, 0.0, 0.0
        tick = min(0.05, self.watchdog / 4)
        cpu = None
        while not self.done.acquire(timeout=tick):
            steps, nevents = len(self.records), len(self.events)
            if getattr(self.scheduler, "waiting", False):  # a person is choosing: not stuck
                steps = -2 - steps
            if (steps, nevents) != (last_steps, last_events) or steps < -1:
                last_steps, last_events, idle = steps, nevents, 0.0
                cpu = cpu_seconds(self.current)
                continue
            before, cpu = cpu, cpu_seconds(self.current)
            if (before is not None and cpu is not None and cpu - before < STARVED_CPU * tick
                    and runnable(self.current) and starved < STARVED_LIMIT * self.watchdog):
                # Ready to run but given (almost) no CPU: a busy machine, not a stuck or
                # spinning thread; this tick does not count towards the watchdog.
                starved += tick
                continue
            idle += tick
            if idle >= self.watchdog:
                self._stuck()
                return

    def _stuck(self) -> None:
        """The running thread made no step for ``watchdog`` seconds: say where it is."""
        t = self.current
        frames = sys._current_frames()
        frame = frames.get(t.ident) if t is not None and t.ident is not None else None
        stack = traceback.extract_stack(frame) if frame is not None else []
        while stack and stack[-1].filename.startswith(_ENGINE_DIR):
            stack.pop()  # the engine's own tracer may be running on top of the student's code
        for k in range(len(stack) - 1):  # ... and what the tracer called (linecache, dis)
            if stack[k + 1].filename.startswith(_ENGINE_DIR) and tracing.is_traced_file(
                    stack[k].filename):
                del stack[k + 1:]
                break
        traced = [f for f in stack if tracing.is_traced_file(f.filename)]
        name = t.name if t else "a thread"
        if traced and stack and tracing.is_traced_file(stack[-1].filename) and moving(t):
            f = traced[-1]
            failure = Failure(
                "spin", f"{name} has been running line {f.lineno} ({(f.line or '').strip()}) "
                f"for {self.watchdog:g} s without touching shared state: an endless loop?",
                name, f.lineno,
                (f.line or "").strip())
        else:
            inner = stack[-1] if stack else None
            f = traced[-1] if traced else None
            call = f"{inner.name}() in {inner.filename.rsplit('/', 1)[-1]}" if inner else "?"
            where = f" at line {f.lineno}: {(f.line or '').strip()}" if f else ""
            failure = Failure(
                "blocked", f"{name} is blocked in {call}{where}, which the grader does not "
                f"control (no progress for {self.watchdog:g} s). Use the threading primitives "
                "(Lock, Condition, Event, queue.Queue, ...) to wait.", name,
                f.lineno if f else None, (f.line or "").strip() if f else "")
        if self.failure is None:
            self.failure = failure
        if self.outcome is None:
            self.outcome = failure.kind

    def _unwind(self, grace: float = 0.25) -> None:
        """Wake every parked thread so that it raises :class:`Abort` and exits."""
        self.aborting = True
        for t in self.threads:
            if not t.exited:
                try:
                    t.go.release()
                except RuntimeError:
                    pass
        deadline = _real.monotonic() + grace
        for t in self.threads:
            if t.gone.acquire(timeout=max(0.0, deadline - _real.monotonic())):
                continue
            for _ in range(10):  # a loop that never reaches a scheduling point: interrupt it
                raise_in(t, Abort)
                if t.gone.acquire(timeout=0.05):
                    break
            else:
                self.zombies.append(t)

    # ---- derived facts -----------------------------------------------------------------------
    def schedule(self) -> list[str]:
        """The thread names, one per step: enough to replay this execution."""
        return [self.threads[r.tid].name for r in self.records]

seal(__name__)  # the code under test cannot rewrite the grader
