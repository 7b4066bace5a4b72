"""A trace as what a timeline draws: per thread, spans of holding and waiting, and instant marks.

x is the step for engine traces (``time_unit == "steps"``; a step occupies ``[step, step + 1)``)
and milliseconds since the start for real runs (``time`` in seconds).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from autograder.base.trace import Event, Trace
from course.recording.moments import SHARED_KINDS, blocked_on, lookups

#: Ops drawn as a mark at one x (everything that is not the start or end of a span).
MARK_OPS = ("set", "clear", "notify", "timeout", "wake", "error", "read", "write", "spawn",
            "join", "broken")


@dataclass(frozen=True)
class Span:
    """A stretch of one thread's lane.

    ``what`` is ``"hold"`` (holding ``obj``), ``"wait"`` (waiting for ``obj``), ``"sleep"``
    (in ``time.sleep``, engine traces), ``"alive"`` (between the thread's start and end) or
    ``"run"`` (consecutive steps it executed).
    ``level`` is how many other things the thread held when the span began (nesting).
    ``open`` means it had not ended when the trace ended. ``count`` is how many spans a merge
    folded into this one.
    """

    thread: str
    what: str
    start: float
    end: float
    obj: str | None = None
    kind: str | None = None
    level: int = 0
    open: bool = False
    count: int = 1


@dataclass(frozen=True)
class Mark:
    """Something that happened at one x: a set, a notify, a timeout, an error..."""

    thread: str
    op: str
    x: float
    obj: str | None = None
    detail: str = ""
    count: int = 1


@dataclass
class Lanes:
    """Everything a timeline draws, in data coordinates."""

    threads: list[str]
    spans: list[Span] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    x_start: float = 0.0
    x_end: float = 1.0
    unit: str = "steps"

    def of(self, thread: str, what: str | None = None) -> list[Span]:
        """The spans of one lane (of one kind)."""
        return [s for s in self.spans if s.thread == thread and (what is None or s.what == what)]


def x_of(trace: Trace, x: str = "auto") -> tuple[str, float, float]:
    """(axis unit, scale applied to ``Event.time``, width of one event).

    ``x``: ``"auto"`` (steps for engine traces, milliseconds for recorded runs), ``"steps"``,
    or ``"time"`` (an engine trace's virtual clock, in seconds).
    """
    if x not in ("auto", "steps", "time"):
        raise ValueError(f"x must be 'auto', 'steps' or 'time', not {x!r}")
    if x == "steps" or (x == "auto" and trace.time_unit == "steps"):
        return "steps", 0.0, 1.0
    if trace.time_unit == "steps":
        return "virtual s", 1.0, 0.0
    if trace.time_unit in ("seconds", "s"):
        return "ms", 1000.0, 0.0
    return trace.time_unit, 1.0, 0.0


def lanes(trace: Trace, x: str = "auto") -> Lanes:
    """Spans and marks per thread, in the order of ``trace.threads`` (``x`` as in :func:`x_of`)."""
    unit, scale, width = x_of(trace, x)

    def x_at(e: Event) -> float:
        return float(e.step) if unit == "steps" else e.time * scale

    threads = list(trace.threads)
    for e in trace.events:
        if e.thread not in threads:
            threads.append(e.thread)
    out = Lanes(threads=threads, unit=unit)
    if not trace.events:
        return out
    xs = [x_at(e) for e in trace.events]
    out.x_start = min(0.0, min(xs))
    out.x_end = max(xs) + width
    if out.x_end <= out.x_start:
        out.x_end = out.x_start + 1.0

    held: dict[str, dict[str, list]] = {t: {} for t in threads}  # obj -> [start, level, count]
    waiting: dict[str, tuple[str, str | None, float, int]] = {}  # thread -> (obj, kind, x, lvl)
    alive: dict[str, float] = {}
    sleeping: dict[str, float] = {}
    run: dict[str, list[float]] = {}  # thread -> [start, end] of its current run of steps
    last_runner: str | None = None

    def close_hold(t: str, obj: str, end: float) -> None:
        start, level, _count, kind = held[t].pop(obj)
        out.spans.append(Span(t, "hold", start, end, obj, kind, level))

    skip = lookups(trace.events)
    for i, (e, ex) in enumerate(zip(trace.events, xs, strict=True)):
        t, op, obj = e.thread, e.op, e.obj
        if unit == "steps":
            if last_runner == t and t in run:
                run[t][1] = ex + width
            else:
                if last_runner is not None and last_runner in run:
                    s, en = run.pop(last_runner)
                    out.spans.append(Span(last_runner, "run", s, en))
                run[t] = [ex, ex + width]
                last_runner = t
        if op == "start":
            alive[t] = ex
            continue
        if op in ("end", "error"):
            out.spans.append(Span(t, "alive", alive.pop(t, out.x_start), ex + width))
            if op == "error":
                out.marks.append(Mark(t, op, ex + width / 2, obj, e.detail))
            continue
        if i in skip:
            continue
        if op == "sleep":
            sleeping[t] = ex
            continue
        if op == "wake" and e.kind == "sleep":
            out.spans.append(Span(t, "sleep", sleeping.pop(t, ex), ex, obj, "sleep"))
            continue
        if obj is None:
            if op in MARK_OPS:
                out.marks.append(Mark(t, op, ex + width / 2, obj, e.detail))
            continue
        mine = held.setdefault(t, {})
        if op in ("block", "wait"):
            waiting[t] = (obj, e.kind, ex, len(mine))
        elif op == "acquire":
            w = waiting.get(t)
            if w is not None and w[0] == obj:
                del waiting[t]
                out.spans.append(Span(t, "wait", w[2], ex, obj, w[1], w[3]))
            if obj in mine:
                mine[obj][2] += 1
            else:
                mine[obj] = [ex, len(mine), 1, e.kind]
        elif op == "release":
            owner = t
            if obj not in mine and e.kind in SHARED_KINDS:
                holders = [(h[obj][0], u) for u, h in held.items() if obj in h]
                owner = min(holders)[1] if holders else t
            h = held.get(owner, {}).get(obj)
            if h is not None:
                h[2] -= 1
                if h[2] == 0:
                    close_hold(owner, obj, ex + width)
        elif op in ("wake", "timeout", "broken", "join"):
            w = waiting.get(t)
            if w is not None and w[0] == obj:
                del waiting[t]
                out.spans.append(Span(t, "wait", w[2], ex, obj, w[1], w[3]))
                if op != "wake":
                    out.marks.append(Mark(t, op, ex + width / 2, obj, e.detail))
            elif op in MARK_OPS:
                out.marks.append(Mark(t, op, ex + width / 2, obj, e.detail))
        elif op in MARK_OPS:
            out.marks.append(Mark(t, op, ex + width / 2, obj, e.detail))

    end = out.x_end
    # A thread blocked at the end whose blocking attempt is not in the trace (an engine trace
    # stops as soon as no thread can go on): it waits from its last step on.
    last: dict[str, float] = {}
    for e, ex in zip(trace.events, xs, strict=True):
        last[e.thread] = ex + width
    kinds = {e.obj: e.kind for e in trace.events if e.obj is not None and e.kind}
    for t, obj in blocked_on(trace).items():
        if t not in waiting and obj is not None and t in last:
            waiting[t] = (obj, kinds.get(obj), min(last[t], end), len(held.get(t, {})))
    for t, (s, en) in run.items():
        out.spans.append(Span(t, "run", s, en))
    for t, objs in held.items():
        for obj in list(objs):
            start, level, _count, kind = objs.pop(obj)
            out.spans.append(Span(t, "hold", start, end, obj, kind, level, open=True))
    for t, (obj, kind, start, level) in waiting.items():
        out.spans.append(Span(t, "wait", start, end, obj, kind, level, open=True))
    for t, start in alive.items():
        out.spans.append(Span(t, "alive", start, end, open=True))
    for t, start in sleeping.items():
        out.spans.append(Span(t, "sleep", start, end, None, "sleep", open=True))
    return out


def merge(spans: list[Span], min_gap: float, min_width: float, *, crowd: int = 40) -> list[Span]:
    """Fold spans of one lane, object, kind and level that lie closer than ``min_gap``.

    Only groups of more than ``crowd`` spans are folded (fewer stay legible as they are). Spans
    narrower than ``min_width`` are widened to it, so that none disappears.
    """
    groups: dict[tuple, list[Span]] = {}
    for s in spans:
        groups.setdefault((s.thread, s.what, s.obj, s.level), []).append(s)
    out: list[Span] = []
    for group in groups.values():
        group.sort(key=lambda s: s.start)
        if len(group) <= crowd:
            out.extend(s if s.end - s.start >= min_width else replace(s, end=s.start + min_width)
                       for s in group)
            continue
        first = group[0]
        start, end, is_open, count = first.start, first.end, first.open, first.count
        for s in group[1:]:
            if s.start - end <= min_gap and not is_open:
                end = max(end, s.end)
                is_open = s.open
                count += s.count
            else:
                out.append(Span(first.thread, first.what, start, max(end, start + min_width),
                                first.obj, first.kind, first.level, is_open, count))
                start, end, is_open, count = s.start, s.end, s.open, s.count
        out.append(Span(first.thread, first.what, start, max(end, start + min_width),
                        first.obj, first.kind, first.level, is_open, count))
    return out


def thin(marks: list[Mark], min_gap: float) -> list[Mark]:
    """Keep one mark per lane, op and object within ``min_gap``; ``count`` says how many."""
    last: dict[tuple, int] = {}
    out: list[Mark] = []
    for m in sorted(marks, key=lambda m: m.x):
        key = (m.thread, m.op, m.obj)
        i = last.get(key)
        if i is not None and m.x - out[i].x <= min_gap:
            out[i] = replace(out[i], count=out[i].count + 1)
            continue
        last[key] = len(out)
        out.append(m)
    return out
