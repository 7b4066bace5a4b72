"""Synthetic traces for the course's picture tests (no engine, no threads needed)."""

from __future__ import annotations

from autograder.base.trace import Event, Trace, WaitEdge

__all__ = ["KINDS", "WaitEdge", "contended", "deadlock", "make"]

KINDS = {"L": "Lock", "R": "RLock", "S": "Semaphore", "E": "Event", "C": "Condition"}


def make(rows: list[tuple], *, unit: str = "steps", dt: float = 0.001, **fields) -> Trace:
    """A Trace from ``(thread, op, obj)`` or ``(thread, op, obj, detail)`` rows.

    The kind of ``obj`` comes from its first letter (L lock, R rlock, S semaphore, E event,
    C condition); step i happens at ``time = i * dt`` seconds.
    """
    events = []
    threads: list[str] = []
    for i, row in enumerate(rows):
        thread, op, obj = row[:3]
        detail = row[3] if len(row) > 3 else ""
        if thread not in threads:
            threads.append(thread)
        kind = KINDS.get(obj[0]) if obj else None
        if op in ("read", "write"):
            kind = "variable"
        events.append(Event(step=i, thread=thread, op=op, obj=obj, kind=kind, line=10 + i,
                            source=f"line {10 + i}", time=i * dt, detail=detail))
    return Trace(events=events, threads=threads, time_unit=unit, **fields)


def deadlock() -> Trace:
    """Two threads, each holding one lock and blocked forever on the other's."""
    rows = [
        ("T1", "start", None), ("T2", "start", None),
        ("T1", "acquire", "L1"), ("T2", "acquire", "L2"),
        ("T1", "block", "L2"), ("T2", "block", "L1"),
    ]
    return make(rows, outcome="deadlock", blocked={"T1": "L2", "T2": "L1"},
                holding={"T1": ["L1"], "T2": ["L2"]},
                cycle=[WaitEdge("T1", "L2", "T2"), WaitEdge("T2", "L1", "T1")])


def contended() -> Trace:
    """T1 holds L1 from step 1 to 4, T2 waits for it from 2 and holds it from 5 to 6."""
    rows = [
        ("T1", "start", None),            # 0
        ("T1", "acquire", "L1"),          # 1
        ("T2", "block", "L1"),            # 2
        ("T1", "write", "x", "x = 1"),    # 3
        ("T1", "release", "L1"),          # 4
        ("T2", "acquire", "L1"),          # 5
        ("T2", "release", "L1"),          # 6
        ("T1", "end", None),              # 7
    ]
    return make(rows)
