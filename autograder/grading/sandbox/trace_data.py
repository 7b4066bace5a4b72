"""A failing interleaving's trace as JSON, from the grading kernel to the grader that draws it.

The grading kernel does not draw a failing test's timeline itself: matplotlib's import alone
(about half a second of CPU) would be paid again in every kernel whose answer fails a test, once
a submission. It displays the trace as data instead (:data:`MIME`, :func:`dump`), and the grading
process, which keeps matplotlib loaded from one submission to the next, draws it
(:mod:`autograder.grading.plugins.failure_drawings`) into the PNG the feedback shows.

What comes out of a kernel is the student's to forge, so :func:`load` trusts nothing: every field
is type-checked and bounded, and anything else is a :class:`TraceDataError` (the picture is then
left out, as for a trace too long to draw).
"""

from __future__ import annotations

import dataclasses
import math
import re
from typing import Any

from autograder.base.trace import Event, Trace, WaitEdge
from course.bridge import failure_picture

#: The display's MIME type (a JSON object: ``{"v": VERSION, "trace": {...}}``).
MIME = "application/vnd.autograder.failure-trace+json"
VERSION = 1
#: Bounds on what :func:`load` accepts: as many events as a picture is drawn from (a longer trace
#: is never sent); the rest is generous.
MAX_EVENTS = failure_picture.MAX_EVENTS
MAX_THREADS = 64
MAX_TEXT = 2000
MAX_HELD = 64

_OP = re.compile(r"[a-z_]{1,32}\Z")


class TraceDataError(ValueError):
    """The data is not a trace this module wrote (or is beyond its bounds)."""


def dump(trace: Trace) -> dict[str, Any]:
    """``trace`` as a JSON-able object (:func:`load` gives it back equal)."""
    return {"v": VERSION, "trace": {
        "events": [dataclasses.asdict(e) for e in trace.events],
        "threads": list(trace.threads),
        "outcome": trace.outcome,
        "cycle": None if trace.cycle is None else [dataclasses.asdict(w) for w in trace.cycle],
        "blocked": dict(trace.blocked),
        "holding": {t: list(held) for t, held in trace.holding.items()},
        "time_unit": trace.time_unit,
    }}


def load(data: Any) -> Trace:
    """The trace :func:`dump` made; :class:`TraceDataError` for anything else."""
    body = _dict(_dict(data, "the data", {"v", "trace"}).get("trace"), "trace",
                 {"events", "threads", "outcome", "cycle", "blocked", "holding", "time_unit"})
    if data.get("v") != VERSION:
        raise TraceDataError(f"version {data.get('v')!r}, not {VERSION}")
    events = _list(body.get("events"), "events", MAX_EVENTS)
    threads = [_text(t, "a thread") for t in _list(body.get("threads"), "threads", MAX_THREADS)]
    cycle = body.get("cycle")
    blocked = _dict(body.get("blocked"), "blocked")
    holding = _dict(body.get("holding"), "holding")
    _bounded(len(blocked), MAX_THREADS, "blocked")
    _bounded(len(holding), MAX_THREADS, "holding")
    return Trace(
        events=[_event(e) for e in events],
        threads=threads,
        outcome=_text(body.get("outcome"), "outcome"),
        cycle=None if cycle is None else [_edge(w) for w in _list(cycle, "cycle", MAX_THREADS)],
        blocked={_text(k, "a thread"): _text(v, "what it waits for") for k, v in blocked.items()},
        holding={_text(k, "a thread"): [_text(x, "a held object")
                                        for x in _list(v, "held objects", MAX_HELD)]
                 for k, v in holding.items()},
        time_unit=_text(body.get("time_unit"), "time_unit"),
    )


# -- the checks --------------------------------------------------------------------------------

_EVENT_FIELDS = {f.name: f for f in dataclasses.fields(Event)}
_EDGE_FIELDS = {f.name: f for f in dataclasses.fields(WaitEdge)}


def _event(data: Any) -> Event:
    fields = _dict(data, "an event", set(_EVENT_FIELDS))
    kw: dict[str, Any] = {}
    for name, value in fields.items():
        kw[name] = _typed(value, _EVENT_FIELDS[name].type, f"an event's {name}")
    if "step" not in kw or "thread" not in kw or "op" not in kw:
        raise TraceDataError("an event without its step, thread or op")
    if not _OP.match(kw["op"]):
        raise TraceDataError(f"an event's op {kw['op'][:40]!r}")
    return Event(**kw)


def _edge(data: Any) -> WaitEdge:
    fields = _dict(data, "a wait-for edge", set(_EDGE_FIELDS))
    kw = {name: _typed(value, _EDGE_FIELDS[name].type, f"a wait-for edge's {name}")
          for name, value in fields.items()}
    if not {"thread", "obj", "holder"} <= set(kw):
        raise TraceDataError("a wait-for edge without its thread, object or holder")
    return WaitEdge(**kw)


def _typed(value: Any, annotation: str, what: str) -> Any:
    """``value`` if it is of the field's type (the dataclasses' annotations, as strings)."""
    optional = "None" in annotation
    if value is None:
        if optional:
            return None
        raise TraceDataError(f"{what} is missing")
    if annotation.startswith("int"):
        if type(value) is not int or abs(value) > 2**53:
            raise TraceDataError(f"{what} is not a whole number")
        return value
    if annotation.startswith("float"):
        if type(value) not in (int, float) or not math.isfinite(value):
            raise TraceDataError(f"{what} is not a number")
        return float(value)
    if annotation.startswith("str"):
        return _text(value, what)
    raise TraceDataError(f"{what}: no such field")  # pragma: no cover - a new field's type


def _text(value: Any, what: str) -> str:
    if type(value) is not str or len(value) > MAX_TEXT:
        raise TraceDataError(f"{what} is not a text of at most {MAX_TEXT} characters")
    return value


def _dict(value: Any, what: str, keys: set[str] | None = None) -> dict:
    if not isinstance(value, dict):  # nbformat's NotebookNode is a dict
        raise TraceDataError(f"{what} is not an object")
    if keys is not None and not set(value) <= keys:
        raise TraceDataError(f"{what} has unknown fields {sorted(map(str, set(value) - keys))}")
    return value


def _list(value: Any, what: str, most: int) -> list:
    if not isinstance(value, list):
        raise TraceDataError(f"{what} is not a list")
    _bounded(len(value), most, what)
    return value


def _bounded(n: int, most: int, what: str) -> None:
    if n > most:
        raise TraceDataError(f"{what}: {n} entries, at most {most}")
