""""You are the scheduler": the game's logic, with no widgets (its view: ``widgets.game_view``).

The student picks which thread takes the next step of a small program, on the engine's manual
scheduler, until they reach a goal: a lost update, two threads inside a critical section, a
deadlock. They can undo and reset, run a thread on to its next interesting step (a lock operation, a
shared write), and ask for the engine's counterexample, which is replayed step by step on the
same board. Every step says what it did, with the value read or written.

    game = SchedulerGame(setup, {"A": worker, "B": worker}, goal=lost_update(lambda s: s.n != 2))
    game.step("A"); game.skip("B"); ...
    game.reached, game.status(), game.last_move()
"""

from __future__ import annotations

import inspect
import linecache
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from autograder.base.trace import Event, Trace
from course.recording.moments import blocked_on, moment

Threads = Sequence[Callable[..., Any]] | Mapping[str, Callable[..., Any]]


# ---- goals --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Goal:
    """What the student must make happen.

    ``reached(session)`` says whether the manual session is there. ``invariant`` and
    ``verdicts`` let the engine's ``explore`` find a schedule that gets there (the goal being a
    violation of the invariant, or a deadlock); without them the game searches by itself.
    """

    text: str
    reached: Callable[[Any], bool]
    invariant: Callable[[Any], Any] | None = None
    verdicts: tuple[str, ...] = ()
    done: str = "Goal reached!"


def lost_update(check: Callable[[Any], Any], *, text: str = "", done: str = "") -> Goal:
    """The threads finish and ``check(state)`` is true (say ``lambda s: s.count < 2``)."""
    return Goal(
        text=text or "Schedule the threads so that an update is lost.",
        reached=lambda s: s.done and s.outcome != "deadlock" and bool(_safe(check, s.state)),
        invariant=lambda state: not check(state),
        verdicts=("invariant",),
        done=done or "An update was lost: both threads ran, yet the count is short.",
    )


def both_inside(lines: tuple[int, int] | None = None, *, marker: str | None = None,
                where: Callable[[int | None, str], bool] | None = None, count: int = 2,
                text: str = "", done: str = "") -> Goal:
    """``count`` threads stand inside the critical section at once.

    The critical section is given by ``lines`` (first, last: line numbers of the threads'
    code, as the engine reports them), by a ``marker`` that its source lines contain (say
    ``"# critical"``), or by ``where(line, source)``.
    """
    if where is None:
        if lines is not None:
            lo, hi = lines
            where = lambda line, _src: line is not None and lo <= line <= hi  # noqa: E731
        elif marker is not None:
            where = lambda _line, src: marker in src  # noqa: E731
        else:
            raise ValueError("both_inside needs lines=, marker= or where=")
    inside = where

    def reached(s: Any) -> bool:
        return sum(1 for line, src in s.positions().values() if inside(line, src)) >= count

    return Goal(
        text=text or f"Get {count} threads into the critical section at the same time.",
        reached=reached,
        done=done or f"{count} threads are inside the critical section at once: "
                     "mutual exclusion is broken.",
    )


def deadlock(*, text: str = "", done: str = "") -> Goal:
    """Every thread is blocked, waiting for another."""
    return Goal(
        text=text or "Schedule the threads into a deadlock.",
        reached=lambda s: s.outcome == "deadlock",
        verdicts=("deadlock",),
        done=done or "Deadlock: every thread waits for a lock another one holds.",
    )


def _safe(fn: Callable[[Any], Any], arg: Any) -> Any:
    try:
        return fn(arg)
    except Exception:  # a check that cannot run yet has not been reached
        return False


# ---- what the board shows ---------------------------------------------------------------------
@dataclass(frozen=True)
class CodeLine:
    """One line of a thread's code listing."""

    number: int
    text: str
    current: bool = False


def snapshot(state: Any) -> dict[str, str]:
    """The shared variables of a state, as ``name -> repr`` (primitives and functions left out)."""
    if state is None:
        return {}
    if isinstance(state, Mapping):
        items = list(state.items())
    elif hasattr(state, "__dict__"):
        items = list(vars(state).items())
    elif isinstance(state, (list, tuple)):
        items = list(enumerate(state))
    else:
        return {"state": repr(state)}
    out = {}
    for k, v in items:
        if str(k).startswith("_") or callable(v) or _is_primitive(v):
            continue
        out[str(k)] = repr(v)
    return out


def _is_primitive(v: Any) -> bool:
    module = type(v).__module__ or ""
    return module.startswith(("autograder", "threading", "_thread", "course.recording.wrappers"))


def _listing(fn: Callable[..., Any]) -> tuple[int, list[str]] | None:
    try:
        lines, first = inspect.getsourcelines(inspect.unwrap(getattr(fn, "func", fn)))
    except (OSError, TypeError):
        return None
    return first, [line.rstrip("\n") for line in lines]


def _enclosing_def(lines: list[str], line: int, limit: int = 40) -> tuple[int, list[str]] | None:
    """(first line number, lines) of the innermost ``def`` whose body holds ``line``."""
    def indent(text: str) -> int:
        return len(text) - len(text.lstrip())

    here = indent(lines[line - 1])
    for start in range(line - 1, -1, -1):
        text = lines[start]
        if text.lstrip().startswith(("def ", "async def ")) and indent(text) < here:
            body = [text.rstrip("\n")]
            for nxt in lines[start + 1:start + limit]:
                if nxt.strip() and indent(nxt) <= indent(text):
                    break
                body.append(nxt.rstrip("\n"))
            while body and not body[-1].strip():
                body.pop()
            return start + 1, body
    return None


def _engine() -> Any:
    import autograder

    return autograder


# ---- what a step did ----------------------------------------------------------------------------
#: Operations that only look: a step made of them alone changes no shared state and no lock.
QUIET_OPS = frozenset({"start", "read", "sleep"})

_MISSING = object()


def _lookup(root: Any, path: list[str]) -> Any:
    """``root.a.b`` (or ``root["a"]["b"]``) without running any code of the objects (no
    properties, no ``__getattr__``): ``_MISSING`` when a part is not plain data."""
    value = root
    for part in path:
        if isinstance(value, Mapping):
            value = value.get(part, _MISSING)
        else:
            attrs = getattr(value, "__dict__", None)
            value = attrs.get(part, _MISSING) if isinstance(attrs, dict) else _MISSING
        if value is _MISSING:
            return _MISSING
    return value


def value_of(name: str | None, state: Any) -> str | None:
    """The current value of a shared variable named as the engine names it (``s.counter``,
    ``self.value``: the first part is the thread's view of the shared state), as ``repr``;
    ``None`` when it cannot be found without running code, or is a primitive or a function."""
    if not name or state is None:
        return None
    parts = name.split(".")
    for path in (parts[1:], parts):
        if not path:
            continue
        value = _lookup(state, path)
        if value is not _MISSING:
            if callable(value) or _is_primitive(value):
                return None
            text = repr(value)
            return text if len(text) <= 60 else text[:57] + "..."
    return None


def describe_event(e: Event, state: Any) -> str:
    """One event in words, with the value read or written when it is plain data."""
    verb = {
        "start": "starts", "end": "finishes", "error": f"raises {e.detail}",
        "read": f"reads {e.obj}", "write": f"writes {e.obj}",
        "block": f"waits for {e.obj}: another thread holds it",
        "acquire": f"acquires {e.obj}", "release": f"releases {e.obj}",
        "timeout": f"waited for {e.obj} until its timeout: gives up", "wait": f"waits on {e.obj}",
        "wake": f"wakes up from {e.obj}", "set": f"sets {e.obj}", "clear": f"clears {e.obj}",
        "notify": f"notifies {e.obj}", "broken": f"finds {e.obj} broken",
        "spawn": f"starts thread {e.obj}", "join": f"has joined {e.obj}",
        "sleep": f"sleeps {e.obj or e.detail}",
    }.get(e.op, f"{e.op} {e.obj or ''}".strip())
    if e.op in ("read", "write"):
        value = value_of(e.obj, state)
        if value is not None:
            verb += f" → {value}" if e.op == "read" else f" = {value}"
        elif e.op == "read":
            kind = _kind_of(e.obj, state)
            verb += f" (the {kind})" if kind else " (looks it up)"
    return verb


def _kind_of(name: str | None, state: Any) -> str | None:
    """The type name of a primitive named ``name`` in the state (``Lock``), else None."""
    parts = (name or "").split(".")
    for path in (parts[1:], parts):
        value = _lookup(state, path) if path and state is not None else _MISSING
        if value is not _MISSING and _is_primitive(value):
            return type(value).__name__.lstrip("_")
    return None


@dataclass(frozen=True)
class Move:
    """One click: the thread, the step numbers and what happened, in words."""

    thread: str
    steps: tuple[int, ...]
    said: tuple[str, ...]
    quiet: bool

    def text(self) -> str:
        return f"{self.thread} " + "; then ".join(self.said) if self.said else \
            f"{self.thread} takes a step"


# ---- the game -----------------------------------------------------------------------------------
class SchedulerGame:
    """One board: the program, its manual session, the goal, the moves so far."""

    def __init__(self, setup: Callable[[], Any] | None, threads: Threads, goal: Goal | None = None,
                 *, invariant: Callable[[Any], Any] | None = None,
                 show: Callable[[Any], Any] | None = None) -> None:
        self.setup = setup
        self.threads = threads
        self.goal = goal
        self.invariant = invariant
        self.show = show or snapshot
        self.session = _engine().ManualSession(setup, threads, invariant)
        self.names: list[str] = list(self.session.positions())
        fns = list(threads.values()) if isinstance(threads, Mapping) else [
            t[1] if isinstance(t, tuple) else t for t in threads]
        self.listings = {n: _listing(f) for n, f in zip(self.names, fns, strict=False)}
        self.moves: list[list[Event]] = []
        self.said: list[Move] = []
        self.reached = False
        self._solution: list[str] | None = None
        self._searched = False
        #: After :meth:`solution`: True when no schedule reaches the goal (the search was
        #: exhaustive), False when one was found or the search stopped at its budget.
        self.impossible = False
        self.searched_runs = 0
        self._check()

    # -- moves ------------------------------------------------------------------------------------
    def runnable(self) -> list[str]:
        """The threads the student may pick now."""
        return self.session.runnable()

    def step(self, name: str) -> list[Event]:
        """``name`` runs to its next scheduling point; returns what it did."""
        events = self.session.step(name)
        self.moves.append(events)
        self.said.append(self._move(name, events))
        self._check()
        return events

    def skip(self, name: str, *, limit: int = 200) -> list[Event]:
        """``name`` runs on to its next interesting step: one that takes, releases or waits for
        a primitive, writes shared state or finishes (reads alone are passed over). Stops early
        when the thread cannot move or the goal is reached; returns every event on the way."""
        events: list[Event] = []
        for _ in range(limit):
            if name not in self.runnable() or self.reached:
                break
            got = self.step(name)
            events += got
            if any(e.op not in QUIET_OPS for e in got):
                break
        return events

    def _move(self, name: str, events: list[Event]) -> Move:
        state = self.session.state
        said = tuple(describe_event(e, state) for e in events if e.thread == name or not
                     e.thread)
        return Move(name, tuple(e.step for e in events), said,
                    all(e.op in QUIET_OPS for e in events))

    def last_move(self) -> str:
        """What the last click did, in words ("" before the first)."""
        return self.said[-1].text() if self.said else ""
    def undo(self) -> None:
        """Take back the last move."""
        if self.moves:
            self.session.undo()
            self.moves.pop()
            self.said.pop()
            self._check()

    def reset(self) -> None:
        """Back to the start."""
        self.session.reset()
        self.moves = []
        self.said = []
        self._check()

    def play(self, schedule: Sequence[str]) -> int:
        """Reset, then make the moves of ``schedule``; returns how many could be made."""
        self.reset()
        made = 0
        for name in schedule:
            if name not in self.runnable():
                break
            self.step(name)
            made += 1
        return made

    def close(self) -> None:
        """Stop the session (and the engine's patches)."""
        self.session.close()

    def _check(self) -> None:
        self.reached = self.goal is not None and bool(_safe(self.goal.reached, self.session))

    # -- what the board shows ----------------------------------------------------------------------
    @property
    def history(self) -> list[str]:
        """The threads picked so far, in order."""
        return list(self.session.history)

    @property
    def trace(self) -> Trace:
        """The run so far."""
        return self.session.trace

    def variables(self) -> dict[str, str]:
        """The shared state, name -> value text."""
        shown = self.show(self.session.state)
        return shown if isinstance(shown, dict) else {"state": str(shown)}

    def holders(self) -> dict[str, str]:
        """Primitive -> the thread holding it."""
        return self.session.holders()

    def waiting(self) -> dict[str, str]:
        """Thread -> the primitive it is blocked on (or waits for)."""
        trace = self.trace
        found = {t: o for t, o in blocked_on(trace).items() if o is not None}
        return {**found, **moment(trace.events).waiting}

    def thread_status(self, name: str) -> str:
        """"finished", "blocked on X", "not started", "ready" or "can't move"."""
        line, src = self.session.positions().get(name, (None, ""))
        if src == "finished":
            return "finished"
        waits = self.waiting().get(name)
        if waits is not None and name not in self.runnable():
            return f"blocked on {waits}"
        if src == "not started":
            return "not started"
        return "ready" if name in self.runnable() else "can't move"

    def code(self, name: str) -> list[CodeLine]:
        """The code the thread is in, its current line marked: the thread's function, or the
        function it has called into (say a method of the shared object) while it is there."""
        line, src = self.session.positions().get(name, (None, ""))
        listing = self.listings.get(name)
        if line is not None and (listing is None or not
                                 listing[0] <= line < listing[0] + len(listing[1])):
            listing = self._callee(name, line, src) or listing
        if listing is None:
            return [CodeLine(line, src, True)] if line else []
        first, lines = listing
        return [CodeLine(first + i, text, first + i == line) for i, text in enumerate(lines)]

    def _callee(self, name: str, line: int, src: str) -> tuple[int, list[str]] | None:
        """The ``def`` around ``line`` in the file the thread last ran code of."""
        files = [e.filename for e in reversed(self.trace.events)
                 if e.thread == name and e.filename]
        for filename in dict.fromkeys(files):
            if linecache.getline(filename, line).strip() == src.strip():
                return _enclosing_def(linecache.getlines(filename), line)
        return None

    def where(self, name: str) -> str:
        """The line the thread stands at, in words (also when it is outside its listing)."""
        line, src = self.session.positions().get(name, (None, ""))
        return f"line {line}: {src}" if line else src

    def status(self) -> str:
        """What the student should know now, in one or two sentences."""
        s = self.session
        if self.reached and self.goal is not None:
            return self.goal.done
        if s.outcome == "deadlock":
            return "Deadlock: no thread can move."
        if s.done:
            verdict = {"ok": "All threads finished", "invariant": "All threads finished, and "
                       "the final check fails", "exception": "A thread raised an exception"}
            text = verdict.get(s.outcome, f"The run ended ({s.outcome})")
            return text + (". The goal was not reached: undo or reset and try another order."
                           if self.goal is not None else ".")
        goal = self.goal.text if self.goal is not None else "Pick the thread that runs next."
        return f"{goal} Step {len(self.moves)}; can move: {', '.join(self.runnable())}."

    # -- the engine's answer ----------------------------------------------------------------------
    def solution(self, *, max_executions: int = 500, budget: float = 5.0) -> list[str] | None:
        """A short schedule that reaches the goal: the engine's counterexample when the goal is
        a failure it looks for, else a breadth-first search of at most ``budget`` seconds.

        ``None`` when there is none; then :attr:`impossible` says whether that is certain (the
        engine's search was exhaustive: every interleaving was run) or the budget ran out.
        """
        if self._searched:
            return self._solution
        goal = self.goal
        found: list[str] | None = None
        impossible = False
        if goal is not None and goal.verdicts:
            result = _engine().explore(self.setup, self.threads, goal.invariant,
                                       max_executions=max_executions)
            self.searched_runs = int(getattr(result, "executions", 0) or 0)
            if result.verdict in goal.verdicts and result.schedule:
                found = list(result.schedule)
            elif result.ok and getattr(result, "exhaustive", False):
                impossible = True  # every interleaving ran; none is a failure of the goal's kind
        if found is None and goal is not None and not impossible:
            found, impossible = self._search(budget)
        self._solution, self._searched, self.impossible = found, True, impossible
        return found

    def show_solution(self) -> bool:
        """Replay :meth:`solution` on the board; True when it reached the goal."""
        schedule = self.solution()
        if schedule is None:
            return False
        self.play(schedule)
        return self.reached

    def show_start(self) -> int:
        """On a graded puzzle, "Show me" before the student reached the goal: replay only the
        start of :meth:`solution`, the first thread's run and the first step of the thread
        after it, and never more than half of it. Returns the number of steps played (0 when
        there is no solution)."""
        schedule = self.solution()
        if not schedule:
            return 0
        made = self.play(schedule[:hint_length(schedule)])
        while self.reached and self.moves:  # a hint never reaches the goal itself
            self.undo()
            made -= 1
        return made


    def _search(self, budget: float) -> tuple[list[str] | None, bool]:
        """Breadth-first over schedules: (the shortest one reaching the goal, or None; whether
        every schedule was tried)."""
        assert self.goal is not None
        deadline = time.monotonic() + budget
        s = _engine().ManualSession(self.setup, self.threads, self.invariant)
        try:
            queue: deque[list[str]] = deque([[]])
            while queue and time.monotonic() < deadline:
                prefix = queue.popleft()
                if prefix:
                    s.reset()
                    for name in prefix:
                        s.step(name)
                if _safe(self.goal.reached, s):
                    return prefix, False
                if s.done:
                    self.searched_runs += 1
                else:
                    queue.extend([*prefix, name] for name in s.runnable())
            return None, not queue
        finally:
            s.close()


def hint_length(schedule: Sequence[str]) -> int:
    """How many steps of an answer a hint gives away: up to and including the first switch to
    another thread, at most half of the schedule (at least one step)."""
    switch = next((i for i in range(1, len(schedule)) if schedule[i] != schedule[i - 1]),
                  len(schedule) - 1)
    return max(1, min(switch + 1, len(schedule) // 2))
