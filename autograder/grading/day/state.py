"""Which submissions have a complete grade, read from the gradebook and the files, not guessed.

A submission's grade is complete when the gradebook holds it, every autograded test cell of
every notebook has a score, its autograded notebooks are whole (they parse) and come from the
submission now in ``submitted/`` (same timestamp), and its feedback has been written. A run killed
mid-way leaves a submission failing one of these, and the next run grades it again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from . import ownership
from .config import Course

FLAG = "Flagged for review"


@dataclass
class Status:
    student: str
    name: str = ""
    submitted: bool = False
    complete: bool = False
    #: what is missing when not complete ("" when complete)
    reason: str = ""
    needs_feedback_only: bool = False
    score: float | None = None
    max_score: float | None = None
    late: bool = False
    needs_manual: bool = False
    flags: list[str] = field(default_factory=list)


def _timestamp(folder: Path) -> str | None:
    path = folder / "timestamp.txt"
    return path.read_text(encoding="utf-8").strip() if path.exists() else None


def submitted_students(course: Course, lesson: str) -> list[str]:
    """Students with a folder submitted/<student>/<lesson>/ holding a notebook."""
    folder = course.folder("submitted")
    if not folder.is_dir():
        return []
    return sorted(
        d.name for d in folder.iterdir()
        if d.is_dir() and not d.name.startswith(".") and any((d / lesson).glob("*.ipynb"))
    )


def status(course: Course, gb, lesson: str, student: str) -> Status:
    """The grade state of one student's submission of `lesson`."""
    from nbgrader.api import MissingEntry

    st = Status(student)
    st.flags += ownership.flags(course.root, lesson, student)  # submissions refused at collect
    try:
        who = gb.find_student(student)
        st.name = " ".join(p for p in (who.first_name, who.last_name) if p)
    except MissingEntry:
        pass
    sub_dir = course.submission("submitted", student, lesson)
    st.submitted = sub_dir.is_dir() and any(sub_dir.glob("*.ipynb"))
    if not st.submitted:
        st.reason = "no submission"
        return st
    try:
        submission = gb.find_submission(lesson, student)
    except MissingEntry:
        st.reason = "not graded yet"
        return st
    assignment = gb.find_assignment(lesson)
    auto_dir = course.submission("autograded", student, lesson)
    feedback_dir = course.submission("feedback", student, lesson)
    missing = []
    for nb in assignment.notebooks:
        manual = {c.name for c in nb.solution_cells}
        try:
            snb = gb.find_submission_notebook(nb.name, lesson, student)
        except MissingEntry:
            missing.append(f"{nb.name}: not in the gradebook")
            continue
        unscored = [g.name for g in snb.grades
                    if g.cell.cell_type == "code" and g.name not in manual and g.auto_score is None]
        if unscored:
            missing.append(f"{nb.name}: {len(unscored)} test cell(s) without a score")
        path = auto_dir / f"{nb.name}.ipynb"
        try:
            nbformat.read(path, as_version=4)
        except FileNotFoundError:
            missing.append(f"no autograded/{student}/{lesson}/{nb.name}.ipynb")
        except Exception as error:  # a notebook cut short by a kill
            missing.append(f"autograded {nb.name}.ipynb unreadable ({type(error).__name__})")
        for comment in snb.comments:
            for text in (comment.manual_comment, comment.auto_comment):
                if text and FLAG in text:
                    st.flags.append(text.strip())
    if _timestamp(sub_dir) != _timestamp(auto_dir):
        missing.append("graded from an earlier submission")
    st.score, st.max_score = submission.score, submission.max_score
    st.late = bool(submission.total_seconds_late and submission.total_seconds_late > 0)
    st.needs_manual = bool(submission.needs_manual_grade)
    if missing:
        st.reason = "; ".join(missing)
        return st
    absent = [nb.name for nb in assignment.notebooks
              if not (feedback_dir / f"{nb.name}.html").exists()]
    if absent or _timestamp(feedback_dir) != _timestamp(sub_dir):
        st.reason = "feedback not written"
        st.needs_feedback_only = True
        return st
    st.complete = True
    return st


def statuses(course: Course, gb, lesson: str, students) -> dict[str, Status]:
    return {s: status(course, gb, lesson, s) for s in students}
