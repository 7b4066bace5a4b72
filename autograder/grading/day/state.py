"""Where each submission stands, read from the gradebook and the files, not guessed.

Every submission ends in one final, explained state (:attr:`Status.state`, with :attr:`why`):

- ``graded``: a complete grade;
- ``flagged for review``: a complete automatic grade that a person must look at (the static
  scan, the tamper guard, the ownership check: :attr:`Status.flags` says why);
- ``unreadable``: a file that is not a notebook (invalid JSON, empty): 0 points, the parser's
  message (recorded by :mod:`.unreadable`, never sent to a kernel);
- ``tests missing``: the student deleted a test cell; it scores 0 (or the manual grade an
  instructor gives it) and the rest is graded;
- ``not graded``: the grader failed (its cause); only this state makes grading day fail;
- ``missing``: a roster student with no submission.

A submission's grade is complete when the gradebook holds it, every autograded test cell of
every notebook has a score (automatic or manual), its autograded notebooks are whole (they parse)
and come from the submission now in ``submitted/`` (same timestamp), and its feedback has been
written. A run killed mid-way leaves a submission failing one of these, and the next run grades
it again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import nbformat

from . import ownership, unreadable
from .config import Course

FLAG = "Flagged for review"
DELETED = "Tests missing: "

GRADED, FLAGGED, UNREADABLE = "graded", "flagged for review", "unreadable"
TESTS_MISSING, NOT_GRADED, MISSING = "tests missing", "not graded", "missing"
#: every final state, in the order the table and the export explain them
STATES = (GRADED, FLAGGED, TESTS_MISSING, UNREADABLE, NOT_GRADED, MISSING)


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
    #: the parser's message when the submission is not a notebook ("" otherwise)
    unreadable: str = ""
    #: test cells deleted from the submission: grade id -> "0 points" or "graded by hand"
    deleted_tests: dict[str, str] = field(default_factory=dict)
    submitted_at: datetime | None = None
    seconds_late: float = 0.0
    late_penalty: float | None = None

    @property
    def state(self) -> str:
        """The final state (one of :data:`STATES`)."""
        if not self.submitted:
            return MISSING
        if self.unreadable:
            return UNREADABLE if self.complete else NOT_GRADED
        if not self.complete:
            return NOT_GRADED
        if self.flags:
            return FLAGGED
        if self.deleted_tests:
            return TESTS_MISSING
        return GRADED

    @property
    def why(self) -> str:
        """The state's explanation, in one line ("" for a plain grade)."""
        state = self.state
        if state == MISSING:
            return "no submission"
        if state == UNREADABLE:
            return self.unreadable
        if state == NOT_GRADED:
            return self.reason or "not graded yet"
        parts = list(self.flags)
        if self.deleted_tests:
            parts.append(deleted_summary(self.deleted_tests))
        if self.needs_manual and not self.flags:
            parts.append("manual part to grade")
        return "; ".join(parts)


def deleted_summary(deleted: dict[str, str]) -> str:
    return "test cell(s) deleted: " + ", ".join(f"{g} ({how})" for g, how in deleted.items())


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


def _test_cells(snb) -> set[str]:
    """The autograded test cells of a submitted notebook (code grade cells, not answers)."""
    return {g.name for g in snb.grades if g.cell.cell_type == "code"} - {
        c.name for c in snb.notebook.solution_cells}


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
    st.unreadable = unreadable.problems(sub_dir)
    try:
        submission = gb.find_submission(lesson, student)
    except MissingEntry:
        st.reason = "not graded yet"
        return st
    st.score, st.max_score = submission.score, submission.max_score
    st.submitted_at = submission.timestamp
    st.seconds_late = float(submission.total_seconds_late or 0)
    st.late = st.seconds_late > 0
    st.late_penalty = submission.late_submission_penalty
    st.needs_manual = bool(submission.needs_manual_grade)
    if st.unreadable:
        recorded = unreadable.recorded(submission)
        st.complete = recorded == st.unreadable
        st.reason = "" if st.complete else "unreadable, not recorded yet"
        return st
    assignment = gb.find_assignment(lesson)
    auto_dir = course.submission("autograded", student, lesson)
    feedback_dir = course.submission("feedback", student, lesson)
    missing = []
    for nb in assignment.notebooks:
        try:
            snb = gb.find_submission_notebook(nb.name, lesson, student)
        except MissingEntry:
            missing.append(f"{nb.name}: not in the gradebook")
            continue
        tests = _test_cells(snb)
        unscored = [g.name for g in snb.grades if g.name in tests
                    and g.auto_score is None and g.manual_score is None]
        if unscored:
            missing.append(f"{nb.name}: {len(unscored)} test cell(s) without a score")
        path = auto_dir / f"{nb.name}.ipynb"
        try:
            graded = nbformat.read(path, as_version=4)
        except FileNotFoundError:
            missing.append(f"no autograded/{student}/{lesson}/{nb.name}.ipynb")
            graded = None
        except Exception as error:  # a notebook cut short by a kill
            missing.append(f"autograded {nb.name}.ipynb unreadable ({type(error).__name__})")
            graded = None
        if graded is not None:
            present = {c.get("metadata", {}).get("nbgrader", {}).get("grade_id")
                       for c in graded.cells}
            for g in snb.grades:
                if g.name in tests and g.name not in present:
                    st.deleted_tests[g.name] = (
                        "graded by hand" if g.manual_score is not None else "0 points")
        for comment in snb.comments:
            for text in (comment.manual_comment, comment.auto_comment):
                st.flags += [line.strip() for line in (text or "").splitlines()
                             if FLAG in line and line.strip() not in st.flags]
    if _timestamp(sub_dir) != _timestamp(auto_dir):
        missing.append("graded from an earlier submission")
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
