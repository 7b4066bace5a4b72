"""The class report's data from a course folder: the lesson's exercises (its source notebooks),
each student's state (:mod:`..state`), scores per exercise (the gradebook), failures (the
autograded notebooks) and feedback page; the corpus's classic mistakes."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat

from ...base import lessons
from .. import state
from ..config import Course
from .model import Exercise, Student, read_notebooks

#: Where the report of a lesson is written, under the course root: reports/<lesson>.html.
FOLDER = "reports"


def exercises(course: Course, lesson: str) -> list[Exercise]:
    """The lesson's exercises, in notebook order, from its source notebooks."""
    found: list[Exercise] = []
    source = course.folder("source") / lesson
    paths = sorted(source.glob("*.ipynb"))
    paths.sort(key=lambda p: p.stem != lesson)
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        for ex in lessons.exercises(nb, lesson, path.stem).values():
            found.append(Exercise(ex.id, ex.notebook, ex.points, ex.test_ids))
    return found


def scores(gb, lesson: str, student: str, exs: list[Exercise]) -> dict[str, float | None]:
    """Points per exercise: the sum of its test cells' scores (None if one has none)."""
    from nbgrader.api import MissingEntry

    out: dict[str, float | None] = {}
    for ex in exs:
        try:
            snb = gb.find_submission_notebook(ex.notebook, lesson, student)
        except MissingEntry:
            out[ex.id] = None
            continue
        by_name = {g.name: g.score for g in snb.grades}
        got = [by_name.get(test) for test in ex.tests]
        out[ex.id] = None if any(g is None for g in got) else float(sum(got))
    return out


def student(course: Course, gb, lesson: str, st: state.Status, exs: list[Exercise],
            reports: Path) -> Student:
    """One student of the report, from their status, the gradebook and their files."""
    s = Student(st.student, st.name, st.state, st.why,
                st.seconds_late / 60 if st.late else 0.0)
    if st.state == state.MISSING or st.state == state.NOT_GRADED:
        return s
    s.scores = scores(gb, lesson, st.student, exs)
    feedback = course.submission("feedback", st.student, lesson)
    pages = [feedback / f"{name}.html" for name in dict.fromkeys(e.notebook for e in exs)]
    existing = [p for p in pages if p.is_file()]
    if existing:
        s.feedback = Path(os.path.relpath(existing[0], reports)).as_posix()
    if st.state == state.UNREADABLE:
        return s
    autograded = course.submission("autograded", st.student, lesson)
    nbs = {}
    for name in dict.fromkeys(e.notebook for e in exs):
        try:
            nbs[name] = nbformat.read(autograded / f"{name}.ipynb", as_version=4)
        except Exception:  # noqa: BLE001 - missing or broken: nothing to group for it
            continue
    read_notebooks(s, nbs, exs)
    return s
