"""A schedule's trace as plain data: one event per step, shared by the engine and `course/`.

The engine records one :class:`Event` per executed step (and a few annotation events such as
``block``); the course's real-run recorder produces the same events from real threads, so one
plotting function draws either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ._seal import Sealed, seal

#: What a thread did. Lifecycle: ``start``, ``end``, ``error`` (an uncaught exception ended it);
#: ``raise`` (an exception reached its code, caught or not). Shared memory: ``read``,
#: ``write``. Locks, semaphores, joins, waits: ``block`` (asked and must wait), ``acquire``
#: (got it), ``release``, ``timeout`` (gave up waiting). Events, conditions, barriers:
#: ``wait`` (began waiting), ``wake`` (the wait returned), ``set``, ``clear``, ``notify``,
#: ``broken``. Threads: ``spawn`` (started another thread), ``join`` (the joined thread ended).
#: Time: ``sleep`` and ``wake``.
OPS = (
    "start", "end", "error", "raise",
    "read", "write",
    "block", "acquire", "release", "timeout",
    "wait", "wake", "set", "clear", "notify", "broken",
    "spawn", "join", "sleep",
)


@dataclass(frozen=True)
class Event(metaclass=Sealed):
    """One thing one thread did, at one step."""

    step: int
    thread: str
    op: str
    obj: str | None = None
    kind: str | None = None
    obj_id: int | None = None
    line: int | None = None
    filename: str | None = None
    function: str | None = None
    source: str = ""
    time: float = 0.0
    detail: str = ""
    #: A read's value, or the value a write stored, as a short ``repr`` (at most
    #: :data:`VALUE_CHARS` characters); None when not recorded (a lock operation, say).
    value: str | None = None


@dataclass(frozen=True)
class WaitEdge(metaclass=Sealed):
    """One link of a wait-for cycle: ``thread`` waits for ``obj``, which ``holder`` holds."""

    thread: str
    obj: str
    holder: str
    line: int | None = None
    source: str = ""


@dataclass
class Trace(metaclass=Sealed):
    """Everything a picture or a message needs about one execution."""

    events: list[Event]
    threads: list[str]
    outcome: str = "ok"
    cycle: list[WaitEdge] | None = None
    blocked: dict[str, str] = field(default_factory=dict)
    holding: dict[str, list[str]] = field(default_factory=dict)
    time_unit: str = "steps"

    def format_table(self, *, max_rows: int = 200) -> str:
        """The interleaving as a text table a student reads: step, thread, line, operation."""
        rows = [e for e in self.events if e.op not in ("start",)]
        width = max([len(t) for t in self.threads] + [6])
        out = [f"{'step':>4}  {'thread':<{width}}  {'line':>4}  what happened"]
        shown = rows if len(rows) <= max_rows else rows[: max_rows // 2] + rows[-max_rows // 2 :]
        for i, e in enumerate(shown):
            if len(rows) > max_rows and i == max_rows // 2:
                out.append(f"{'...':>4}  ({len(rows) - max_rows} steps not shown)")
            out.append(
                f"{e.step:>4}  {e.thread:<{width}}  {e.line if e.line else '':>4}  {describe(e)}"
            )
        return "\n".join(out)


def unwritten_reads(events: list[Event]) -> set[int]:
    """Indices of ``read`` events of state that no event writes: they cannot change an outcome
    (``time.sleep``, ``self.lock``, a method looked up), so messages and pictures leave them out."""
    written = {e.obj for e in events if e.op == "write"}
    return {i for i, e in enumerate(events) if e.op == "read" and e.obj not in written}


#: The longest value text a step shows (``Event.value`` is cut to it, with "...").
VALUE_CHARS = 40

#: Methods that change the object they are called on, as a step says it: ``appends to s.log``.
CALL_VERBS = {
    "append": "appends to", "appendleft": "appends to", "extend": "extends",
    "extendleft": "extends", "insert": "inserts into", "pop": "pops from",
    "popleft": "pops from", "popitem": "pops from", "remove": "removes from",
    "discard": "removes from", "add": "adds to", "clear": "clears", "update": "updates",
    "setdefault": "sets a default in", "sort": "sorts", "reverse": "reverses",
}
_NO_WAIT = re.compile(r"blocking\s*=\s*False|acquire\(\s*False")
_CALL = re.compile(r"([A-Za-z_][\w.]*(?:\[[^\]]*\])?)\.([A-Za-z_]\w*)\(")


def short_value(value: object) -> str:
    """``repr(value)``, cut to :data:`VALUE_CHARS` characters."""
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - a broken __repr__ of the code under test
        text = f"<{type(value).__name__}>"
    return text if len(text) <= VALUE_CHARS else text[:VALUE_CHARS - 3] + "..."


def _call(e: Event) -> str | None:
    """A write that is a method call, in words: ``appends to s.log``, ``calls self.add(song)``."""
    for m in _CALL.finditer(e.source or ""):
        target, method = m.group(1), m.group(2)
        if e.obj not in (None, "an object") and target != e.obj and not e.obj.startswith(
                target + "."):  # the step's label: the object, or the call itself
            continue
        if method in CALL_VERBS and target != "self":  # self.add(...): the class's own method
            return f"{CALL_VERBS[method]} {target}"
        end = _closing(e.source, m.end())
        args = e.source[m.end():end - 1]
        return f"calls {target}.{method}({args if len(args) <= 24 else '...'})"
    return None


def _closing(text: str, start: int) -> int:
    """The index after the parenthesis that closes the one before ``start``."""
    depth = 1
    for i in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return i + 1
    return len(text)


def what_happened(e: Event) -> str:
    """What one event did, in plain words, without its source line: ``reads self.value -> 1``,
    ``writes self.value = 2``, ``appends to s.log``, ``acquires s.lock``."""
    call = _call(e) if e.op == "write" else None
    what = call or {
        "start": "starts",
        "end": "finishes",
        "error": f"stops: {e.detail} was not caught",
        "raise": f"raises {e.detail}",
        "read": f"reads {e.obj}",
        "write": f"writes {e.obj}",
        "block": f"waits for {e.obj} (not available)",
        "acquire": f"acquires {e.obj}",
        "release": f"releases {e.obj}",
        "timeout": f"tries {e.obj} without waiting: not available"
        if _NO_WAIT.search(e.source or "") else f"waited for {e.obj} until its timeout: gives up",
        "wait": f"waits on {e.obj}",
        "wake": f"wakes up after sleeping {e.obj}" if e.kind == "sleep"
        else f"wakes up from {e.obj}",
        "set": f"sets {e.obj}",
        "clear": f"clears {e.obj}",
        "notify": f"notifies {e.obj}",
        "broken": f"{e.obj} is broken",
        "spawn": f"starts thread {e.obj}",
        "join": f"joined {e.obj}",
        "sleep": f"sleeps {e.obj or e.detail}",
    }.get(e.op, f"{e.op} {e.obj or ''}")
    if e.value is not None and e.op == "read":
        what += f" \u2192 {e.value}"
    elif e.value is not None and e.op == "write" and call is None:
        what += f" = {e.value}"
    if e.detail and e.op not in ("error", "raise", "sleep"):
        what += f" [{e.detail}]"
    return what


def describe(e: Event) -> str:
    """A short plain-words description of one event, with its source line."""
    what = what_happened(e)
    if e.source:
        what += f"    | {e.source}"
    return what

seal(__name__)  # the code under test cannot rewrite the grader
