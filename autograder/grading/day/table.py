"""The per-student status table printed at the end of grading day."""

from __future__ import annotations

from rich.table import Table

from . import state
from .pipeline import DayReport

STYLE = {state.GRADED: "green", state.FLAGGED: "yellow", state.TESTS_MISSING: "yellow",
         state.UNREADABLE: "magenta", state.NOT_GRADED: "red", state.MISSING: "dim"}


def status_table(report: DayReport) -> Table:
    table = Table(title=f"{report.lesson}: grades", title_justify="left")
    for column, justify in (("student", "left"), ("name", "left"), ("status", "left"),
                            ("score", "right"), ("this run", "right"), ("notes", "left")):
        table.add_column(column, justify=justify, overflow="fold")
    for student, st in sorted(report.statuses.items()):
        outcome = report.outcomes.get(student)
        kind = st.state
        status = f"[{STYLE[kind]}]{kind}[/{STYLE[kind]}]"
        shown = st.submitted and st.score is not None and kind != state.NOT_GRADED
        score = f"{st.score:g} / {st.max_score:g}" if shown else ""
        took = f"{outcome.seconds:.1f} s" if outcome and outcome.seconds else (
            "kept" if st.complete else "")
        notes = [st.why] if st.why and kind != state.MISSING else []
        if st.late:
            notes.append(f"late ({st.seconds_late / 60:.0f} min)")
        table.add_row(student, st.name, status, score, took, "; ".join(notes))
    return table


def summary(report: DayReport) -> str:
    submitted = [s for s in report.statuses.values() if s.submitted]
    counts = {kind: sum(1 for s in report.statuses.values() if s.state == kind)
              for kind in state.STATES}
    told = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)
    line = (f"{len(submitted)} submission(s): {told} "
            f"({len(report.graded)} graded now, {len(report.already_complete)} kept); "
            f"{report.wall:.1f} s")
    if report.integrity and report.integrity != "n/a":
        line += f"; gradebook integrity_check: {report.integrity}"
    if report.export_path:
        line += f"; grades exported to {report.export_path}"
    return line
