"""The per-student status table printed at the end of grading day."""

from __future__ import annotations

from rich.table import Table

from .pipeline import DayReport


def status_table(report: DayReport) -> Table:
    table = Table(title=f"{report.lesson}: grades", title_justify="left")
    for column, justify in (("student", "left"), ("name", "left"), ("status", "left"),
                            ("score", "right"), ("this run", "right"), ("notes", "left")):
        table.add_column(column, justify=justify, overflow="fold")
    for student, st in sorted(report.statuses.items()):
        outcome = report.outcomes.get(student)
        if not st.submitted:
            status = "[dim]no submission[/dim]"
        elif st.complete and st.flags:
            status = "[yellow]graded, flagged[/yellow]"
        elif st.complete and st.needs_manual:
            status = "[yellow]graded, manual part to grade[/yellow]"
        elif st.complete:
            status = "[green]graded[/green]"
        else:
            status = "[red]NOT graded[/red]"
        score = "" if st.score is None or not st.submitted else f"{st.score:g} / {st.max_score:g}"
        took = f"{outcome.seconds:.1f} s" if outcome and outcome.seconds else (
            "kept" if st.complete else "")
        notes = []
        if st.late:
            notes.append("late")
        notes += st.flags
        if st.submitted and not st.complete:
            notes.append(st.reason)
        table.add_row(student, st.name, status, score, took, "; ".join(notes))
    return table


def summary(report: DayReport) -> str:
    submitted = [s for s in report.statuses.values() if s.submitted]
    complete = [s for s in submitted if s.complete]
    flagged = [s for s in complete if s.flags or s.needs_manual]
    line = (f"{len(complete)}/{len(submitted)} submission(s) with a complete grade "
            f"({len(report.graded)} graded now, {len(report.already_complete)} kept), "
            f"{len(flagged)} to review by hand; {report.wall:.1f} s")
    if report.integrity and report.integrity != "n/a":
        line += f"; gradebook integrity_check: {report.integrity}"
    if report.export_path:
        line += f"; grades exported to {report.export_path}"
    return line
