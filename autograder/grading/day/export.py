"""``grades.csv``: one row per student and lesson, saying what each grade is.

Columns: ``assignment, duedate, student_id, last_name, first_name, email, status, why, score,
max_score, submitted_at, minutes_late`` and, when ``nbgrader_config.py`` sets a late penalty
(``c.LateSubmissionPlugin.penalty_method`` other than "none", or
``c.AssignLatePenalties.plugin_class``), ``late_penalty``. ``status`` is a final state of
:mod:`.state` (graded, flagged for review, tests missing, unreadable, not graded, missing). A
roster student with no submission is "missing" with an empty score, not 0; a submission that is
not graded has an empty score too.
"""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

from . import state
from .config import Course

COLUMNS = ["assignment", "duedate", "student_id", "last_name", "first_name", "email", "status",
           "why", "score", "max_score", "submitted_at", "minutes_late"]
PENALTY = "late_penalty"
#: states whose score is a grade (the others' score column is empty)
SCORED = (state.GRADED, state.FLAGGED, state.TESTS_MISSING, state.UNREADABLE)


def late_penalty_configured(config) -> bool:
    method = config.LateSubmissionPlugin.get("penalty_method", "none")
    return method not in ("none", None) or "plugin_class" in config.AssignLatePenalties


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def rows(course: Course, gb, statuses: dict[str, dict[str, state.Status]] | None = None,
         penalty: bool = False) -> list[dict[str, str]]:
    """The export's rows; `statuses` (lesson -> student -> Status) computed when not given."""
    students = {s.id: s for s in gb.students}
    out = []
    for assignment in sorted(gb.assignments, key=lambda a: (a.duedate is None, a.duedate,
                                                            a.name)):
        lesson = assignment.name
        submitted = state.submitted_students(course, lesson)
        known = (statuses or {}).get(lesson)
        if known is None:
            known = state.statuses(course, gb, lesson, sorted(set(students) | set(submitted)))
        for sid in sorted(set(students) | set(known)):
            st = known.get(sid) or state.status(course, gb, lesson, sid)
            who = students.get(sid)
            kind = st.state
            scored = kind in SCORED and st.score is not None
            penalty_value = st.late_penalty or 0.0
            row = {
                "assignment": lesson,
                "duedate": str(assignment.duedate) if assignment.duedate else "",
                "student_id": sid,
                "last_name": (who.last_name if who else "") or "",
                "first_name": (who.first_name if who else "") or "",
                "email": (who.email if who else "") or "",
                "status": kind,
                "why": st.why,
                "score": _number(st.score - (penalty_value if penalty else 0)) if scored else "",
                "max_score": _number(st.max_score if st.max_score is not None
                                     else assignment.max_score),
                "submitted_at": st.submitted_at.strftime("%Y-%m-%d %H:%M:%S")
                if st.submitted_at and st.submitted else "",
                "minutes_late": f"{st.seconds_late / 60:.1f}" if st.submitted else "",
            }
            if penalty:
                row[PENALTY] = _number(penalty_value) if st.submitted else ""
            out.append(row)
    return out


def write(course: Course, gb, to: Path,
          statuses: dict[str, dict[str, state.Status]] | None = None) -> Path:
    """Write the export atomically (a killed run never leaves half a file)."""
    penalty = late_penalty_configured(course.config)
    columns = COLUMNS + ([PENALTY] if penalty else [])
    data = rows(course, gb, statuses, penalty)
    to = Path(to)
    fd, tmp = tempfile.mkstemp(prefix=".grades-", suffix=".csv", dir=to.parent)
    with os.fdopen(fd, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        writer.writerows(data)
    os.replace(tmp, to)
    return to
