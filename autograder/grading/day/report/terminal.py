"""The class report's summary in the terminal: one row per group (the day's rich style)."""

from __future__ import annotations

from rich.markup import escape
from rich.table import Table

from .model import ClassReport

#: The most groups the terminal lists (the page has them all).
MAX_ROWS = 30
#: The most student ids and lines a row shows, and characters of a failed check.
MAX_SHOWN = 4
MAX_CHECK = 90


def _few(items: list[str], limit: int = MAX_SHOWN) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f", +{len(items) - limit}" if len(items) > limit else "")


def summary_table(report: ClassReport) -> Table:
    table = Table(title=f"{report.lesson}: what the class got wrong ({len(report.groups)} "
                  "groups of wrong answers)", title_justify="left")
    for column, justify in (("#", "right"), ("exercise", "left"), ("verdict", "left"),
                            ("n", "right"), ("classic mistake", "left"),
                            ("answer lines (normalised)", "left"), ("students", "left")):
        table.add_column(column, justify=justify, overflow="fold")
    for n, g in enumerate(report.groups[:MAX_ROWS], 1):
        lines = "\n".join(g.key.lines[:MAX_SHOWN]) + (
            f"\n(+{len(g.key.lines) - MAX_SHOWN} lines)" if len(g.key.lines) > MAX_SHOWN else "")
        if not lines:
            check = g.key.test if len(g.key.test) <= MAX_CHECK else g.key.test[:MAX_CHECK] + "..."
            lines = f"(no answer line; test {check})"
        table.add_row(str(n), escape(g.key.exercise), f"[red]{escape(g.key.verdict)}[/red]",
                      str(g.size), escape(g.mistake), escape(lines),
                      escape(_few(g.students)))
    if len(report.groups) > MAX_ROWS:
        table.caption = f"{len(report.groups) - MAX_ROWS} smaller group(s): see the report"
    return table
