"""An interleaving as a table a student reads: step, thread, line, source, operation, state.

Steps are numbered 1, 2, 3, ... in the order shown; recorded runs show the time (ms since the
start) instead. A run of identical steps repeated (a spin) is shown once, with a note saying how
many times it repeats.

``interleaving_table(trace)`` returns a :class:`Table`, shown as HTML in a notebook and as plain
text anywhere else (``print(table)``, feedback, nbconvert). The state column shows who holds
which primitive after each step, plus the shared variables when ``states`` gives them
(``step -> dict or text``, e.g. from :func:`course.bridge.counterexample.walk`).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from autograder.base.trace import Trace, describe
from autograder.exploration.report import loop_at, repeats_note
from course.drawing import palette as colours
from course.drawing.palette import ALERT, palette
from course.recording.moments import Moment, apply, lookups

#: Ops left out of the table unless asked for: they say nothing a student needs.
QUIET_OPS = ("start",)


@dataclass(frozen=True)
class Row:
    """One line of the table."""

    step: int
    thread: str
    line: int | None
    source: str
    operation: str
    state: str
    op: str
    ms: float | None = None  # milliseconds since the start, for recorded runs


@dataclass
class Table:
    """The rows, with a notebook (HTML) and a plain-text rendering."""

    rows: list[Row]
    threads: list[str]
    title: str = ""
    omitted: int = 0
    #: row index -> note shown after that row (a collapsed loop)
    notes: dict[int, str] | None = None

    @property
    def timed(self) -> bool:
        """True for a recorded run (a time column is shown)."""
        return any(r.ms is not None for r in self.rows)

    def __str__(self) -> str:
        return self.to_text()

    def __len__(self) -> int:
        return len(self.rows)

    def to_text(self) -> str:
        """Fixed-width text columns."""
        head = ("ms" if self.timed else "step", "thread", "line", "source", "operation",
                "state")
        cells = [(f"{r.ms:.3f}" if r.ms is not None else str(r.step), r.thread,
                  str(r.line or ""), r.source, r.operation, r.state) for r in self.rows]
        widths = [max([len(h)] + [len(c[i]) for c in cells]) for i, h in enumerate(head)]
        widths[3] = min(widths[3], 48)
        fmt = "  ".join(f"{{:{'>' if i in (0, 2) else '<'}{w}}}" for i, w in enumerate(widths))
        out = [self.title] if self.title else []
        out.append(fmt.format(*head).rstrip())
        for i, c in enumerate(cells):
            if self.omitted and i == len(cells) // 2:
                out.append(f"... {self.omitted} steps not shown ...")
            src = c[3] if len(c[3]) <= 48 else c[3][:47] + "…"
            out.append(fmt.format(c[0], c[1], c[2], src, c[4], c[5]).rstrip())
            if self.notes and i in self.notes:
                out.append(self.notes[i])
        return "\n".join(out)

    def _repr_html_(self) -> str:
        thread_colours = palette(self.threads)
        style = ("border-collapse:collapse;font-family:monospace;font-size:12px;"
                 "text-align:left")
        cell = f"padding:2px 8px;border-bottom:1px solid {colours.TABLE_RULE};vertical-align:top"
        out = [f"<table style='{style}'>"]
        if self.title:
            out.append(f"<caption style='text-align:left;font-weight:bold'>"
                       f"{html.escape(self.title)}</caption>")
        out.append("<tr>" + "".join(f"<th style='{cell}'>{h}</th>" for h in
                                     ("ms" if self.timed else "step", "thread", "line",
                                      "source", "what happens", "state after")) + "</tr>")
        for i, r in enumerate(self.rows):
            if self.omitted and i == len(self.rows) // 2:
                out.append(f"<tr><td colspan=6 style='{cell}'>… {self.omitted} steps not "
                           "shown …</td></tr>")
            colour = thread_colours.get(r.thread, colours.NO_THREAD_COLOUR)
            alert = r.op in ("block", "error", "timeout")
            out.append(
                "<tr>"
                f"<td style='{cell};text-align:right'>"
                f"{f'{r.ms:.3f}' if r.ms is not None else r.step}</td>"
                f"<td style='{cell};border-left:6px solid {colour}'>{html.escape(r.thread)}</td>"
                f"<td style='{cell};text-align:right'>{r.line or ''}</td>"
                f"<td style='{cell}'><code>{html.escape(r.source)}</code></td>"
                f"<td style='{cell}{';color:' + ALERT if alert else ''}'>"
                f"{html.escape(r.operation)}</td>"
                f"<td style='{cell};white-space:pre'>{html.escape(r.state)}</td>"
                "</tr>")
            if self.notes and i in self.notes:
                out.append(f"<tr><td colspan=6 style='{cell};font-style:italic'>"
                           f"{html.escape(self.notes[i])}</td></tr>")
        out.append("</table>")
        return "".join(out)


def _state_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Mapping):
        return ", ".join(f"{k} = {v!r}" if not isinstance(v, str) else f"{k} = {v}"
                         for k, v in value.items())
    return str(value)


def interleaving_table(
    trace: Trace,
    *,
    states: Mapping[int, Any] | None = None,
    locks: bool = True,
    quiet: tuple[str, ...] = QUIET_OPS,
    lock_lookups: bool = False,
    max_rows: int = 200,
    title: str = "",
) -> Table:
    """The steps of ``trace`` as a :class:`Table`.

    ``states`` maps a step to the shared state after it (a dict or text); steps without an entry
    repeat nothing. ``locks`` adds "Lock 1: T1" holder notes to the state column. ``quiet`` ops
    are left out, and so are reads that only fetch a lock (``with s.lock:`` reads ``s.lock``)
    unless ``lock_lookups``. Past ``max_rows`` steps, the middle of the run is left out.
    """
    m = Moment()
    rows: list[Row] = []
    skip = set() if lock_lookups else lookups(trace.events)
    timed = trace.time_unit in ("seconds", "s")
    for i, e in enumerate(trace.events):
        apply(m, e)
        if e.op in quiet or i in skip:
            continue
        parts = []
        if states is not None and e.step in states:
            parts.append(_state_text(states[e.step]))
        if locks and m.holders:
            parts.append("; ".join(f"{o}: {', '.join(ts)}" for o, ts in m.holders.items()))
        rows.append(Row(step=len(rows) + 1, thread=e.thread, line=e.line, source=e.source,
                        operation=describe(replace(e, source="")), state="  |  ".join(
                            p for p in parts if p), op=e.op,
                        ms=e.time * 1000 if timed else None))
    rows, notes = _collapse_loops(rows)
    omitted = 0
    if len(rows) > max_rows:
        omitted = len(rows) - max_rows
        keep = list(range(max_rows // 2)) + list(range(len(rows) - (max_rows - max_rows // 2),
                                                       len(rows)))
        notes = {new: notes[old] for new, old in enumerate(keep) if old in notes}
        rows = [rows[k] for k in keep]
    return Table(rows=rows, threads=list(trace.threads), title=title, omitted=omitted,
                 notes=notes)


def _collapse_loops(rows: list[Row]) -> tuple[list[Row], dict[int, str]]:
    """Rows with each repeated run of identical steps kept once, and the notes saying so
    (by the index of the run's last kept row). Recorded runs (timed) are left as they are."""
    if any(r.ms is not None for r in rows):
        return rows, {}
    sigs = [(r.thread, r.line, r.operation) for r in rows]
    kept: list[Row] = []
    notes: dict[int, str] = {}
    i = 0
    while i < len(rows):
        body, repeats = loop_at(sigs, i)
        if body:
            kept += rows[i:i + body]
            notes[len(kept) - 1] = repeats_note(body, repeats, rows[i].step)
            i += body * repeats
        else:
            kept.append(rows[i])
            i += 1
    return kept, notes
