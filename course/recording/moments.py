"""What a trace means at a moment: who holds what, who waits for what, and wait-for cycles.

Pure functions over :class:`autograder.base.trace.Trace` events, shared by the recorder (to mark a
deadlock at the end of a real run) and by the pictures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from autograder.base.trace import Event, Trace, WaitEdge, unwritten_reads

#: Kinds whose holders may be several threads at once (and whose release may come from another).
SHARED_KINDS = ("Semaphore", "BoundedSemaphore")


@dataclass
class Moment:
    """Who holds and who waits, after some prefix of a trace's events."""

    #: primitive label -> threads holding it (in the order they got it); a holder appears once.
    holders: dict[str, list[str]] = field(default_factory=dict)
    #: thread -> primitive label it is waiting for (a lock, a permit, an event, a condition).
    waiting: dict[str, str] = field(default_factory=dict)
    #: primitive label -> its kind ("Lock", "Semaphore", "Event", ...).
    kinds: dict[str, str] = field(default_factory=dict)
    #: (thread, label) -> how many times held (re-entrant locks, several permits).
    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    #: thread -> (line, source) of its last event.
    where: dict[str, tuple[int | None, str]] = field(default_factory=dict)

    def holding(self) -> dict[str, list[str]]:
        """thread -> labels it holds."""
        out: dict[str, list[str]] = {}
        for label, threads in self.holders.items():
            for t in threads:
                out.setdefault(t, []).append(label)
        return out


def moment(events: Iterable[Event], *, upto: int | None = None) -> Moment:
    """The state after the first ``upto`` events (all when ``None``)."""
    m = Moment()
    for i, e in enumerate(events):
        if upto is not None and i >= upto:
            break
        apply(m, e)
    return m


def apply(m: Moment, e: Event) -> None:
    """Advance ``m`` by one event."""
    if e.obj is not None and e.kind:
        m.kinds.setdefault(e.obj, e.kind)
    if e.line is not None or e.source:
        m.where[e.thread] = (e.line, e.source)
    op, obj, t = e.op, e.obj, e.thread
    if obj is None:
        if op in ("end", "error"):
            m.waiting.pop(t, None)
        return
    if op in ("block", "wait"):
        m.waiting[t] = obj
    elif op in ("wake", "timeout", "broken", "join"):
        if m.waiting.get(t) == obj:
            del m.waiting[t]
    elif op == "acquire":
        if m.waiting.get(t) == obj:
            del m.waiting[t]
        key = (t, obj)
        m.counts[key] = m.counts.get(key, 0) + 1
        if m.counts[key] == 1:
            m.holders.setdefault(obj, []).append(t)
    elif op == "release":
        holder = t
        if m.counts.get((t, obj), 0) == 0:
            others = m.holders.get(obj, [])
            if not others or m.kinds.get(obj) not in SHARED_KINDS:
                return
            holder = others[0]  # a permit given back by another thread: the oldest one's
        key = (holder, obj)
        m.counts[key] -= 1
        if m.counts[key] == 0:
            del m.counts[key]
            m.holders[obj].remove(holder)
            if not m.holders[obj]:
                del m.holders[obj]


SYNC_OPS = ("block", "acquire", "release", "timeout", "wait", "wake", "set", "clear", "notify")


def lookups(events: list[Event]) -> set[int]:
    """Indices of ``read`` events not worth drawing: those that only fetch a primitive
    (``with s.lock:`` reads ``s.lock``: the same thread's next event, on the same line, is a
    synchronization op) and reads of state no event writes (``time.sleep``)."""
    out: set[int] = unwritten_reads(events)
    pending: dict[str, int] = {}
    for i, e in enumerate(events):
        j = pending.pop(e.thread, None)
        if j is not None and e.op in SYNC_OPS and e.line == events[j].line:
            out.add(j)
        if e.op == "read":
            pending[e.thread] = i
    return out


def find_cycle(
    holders: dict[str, list[str]], waiting: dict[str, str], order: list[str] | None = None
) -> list[WaitEdge] | None:
    """A wait-for cycle: each thread waits for a primitive held by the next, the last by the first.

    ``order`` (thread names) makes the answer deterministic: the search starts from the first
    thread in it that is on a cycle.
    """
    threads = list(order or []) + sorted(t for t in waiting if t not in (order or []))

    def successors(t: str) -> list[str]:
        obj = waiting.get(t)
        return list(holders.get(obj, [])) if obj is not None else []

    for start in threads:
        if start not in waiting:
            continue
        path: list[str] = [start]
        on_path = {start: 0}
        stack = [iter(successors(start))]
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                stack.pop()
                on_path.pop(path.pop(), None)
                continue
            if nxt in on_path:
                cyc = path[on_path[nxt]:]
                return [
                    WaitEdge(thread=a, obj=waiting[a], holder=cyc[(i + 1) % len(cyc)])
                    for i, a in enumerate(cyc)
                ]
            if nxt in waiting:
                on_path[nxt] = len(path)
                path.append(nxt)
                stack.append(iter(successors(nxt)))
    return None


def blocked_on(trace: Trace) -> dict[str, str | None]:
    """thread -> label of what it is blocked on at the end (``None`` when not known).

    ``Trace.blocked`` may hold a label (recorded runs) or a sentence (engine traces); the
    cycle's edges and the trace's own unanswered ``block``/``wait`` events name the object.
    """
    if not trace.blocked:
        return {}
    pending = moment(trace.events).waiting
    labels = {e.obj for e in trace.events if e.obj is not None and e.kind}
    by_cycle = {w.thread: w.obj for w in trace.cycle or []}
    out: dict[str, str | None] = {}
    for t, what in trace.blocked.items():
        obj = by_cycle.get(t) or pending.get(t)
        out[t] = obj if obj is not None else (what if what in labels else None)
    return out


def final_state(trace: Trace) -> tuple[dict[str, str], dict[str, list[str]], list[WaitEdge] | None]:
    """(blocked, holding, cycle) at the end of a trace, as the Trace's fields spell them."""
    m = moment(trace.events)
    cycle = find_cycle(m.holders, m.waiting, trace.threads)
    if cycle:
        where = m.where
        cycle = [
            WaitEdge(w.thread, w.obj, w.holder, where.get(w.thread, (None, ""))[0],
                     where.get(w.thread, (None, ""))[1])
            for w in cycle
        ]
    return dict(m.waiting), m.holding(), cycle
