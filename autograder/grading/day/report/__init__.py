"""Grading day's class report per lesson: what the class got wrong, not 200 scores.

``reports/<lesson>.html`` under the course root (static: it opens offline, its pictures inlined,
each student linked to their feedback by relative path) and a summary table in the terminal:
wrong answers grouped by their failure (:mod:`.grouping`: exercise x verdict x the answer's
lines involved, normalised), largest first, each with its students, one representative's
interleaving picture and step table, and the classic mistake of the course's corpus it matches;
then the score distribution per exercise, flagged, unreadable and not graded submissions, late
and missing students. The failures come from the records the grading kernel left in the
autograded notebooks (:mod:`.failures`), read as untrusted data.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .. import state
from ..config import Course
from . import classic, collect
from .model import ClassReport, Exercise, Student, build
from .page import render
from .terminal import summary_table

__all__ = ["ClassReport", "Exercise", "Student", "build", "for_lesson", "render",
           "summary_table", "write", "write_html"]


def write_html(report: ClassReport, to: Path) -> Path:
    """Write the page atomically (a killed run never leaves half a page)."""
    to = Path(to)
    to.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{to.stem}-", suffix=".html", dir=to.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(render(report))
    os.replace(tmp, to)
    return to


def for_lesson(course: Course, gb, lesson: str, statuses: dict[str, state.Status]
               ) -> ClassReport:
    """The report of a lesson whose students' states are ``statuses``."""
    exercises = collect.exercises(course, lesson)
    reports = course.root / collect.FOLDER
    students = [collect.student(course, gb, lesson, st, exercises, reports)
                for _, st in sorted(statuses.items())]
    return build(lesson, exercises, students, classic.load())


def write(course: Course, gb, lesson: str, statuses: dict[str, state.Status]
          ) -> tuple[ClassReport, Path]:
    """Build the lesson's report and write ``reports/<lesson>.html``."""
    report = for_lesson(course, gb, lesson, statuses)
    return report, write_html(report, course.root / collect.FOLDER / f"{lesson}.html")
