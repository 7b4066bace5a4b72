"""What a class report says about a lesson: its students, their scores and their wrong answers'
groups (:class:`ClassReport`), built from plain data so that tests can build one without a
gradebook (:func:`build`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from nbformat import NotebookNode

from .. import state
from . import failures, grouping

#: States whose wrong answers are grouped: a grade to learn from. A flagged submission is listed
#: with its flags instead (its failures may be the tampering's), the others have no answers.
GROUPED = (state.GRADED, state.TESTS_MISSING)


@dataclass
class Exercise:
    id: str
    notebook: str
    points: float
    tests: list[str] = field(default_factory=list)


@dataclass
class Student:
    """One student of the class, as the report sees them."""

    student: str
    name: str = ""
    state: str = state.GRADED
    why: str = ""
    minutes_late: float = 0.0
    #: exercise -> points earned (None: no score)
    scores: dict[str, float | None] = field(default_factory=dict)
    #: the feedback page, relative to the report's folder ("" when there is none)
    feedback: str = ""
    failures: dict[str, failures.Failure] = field(default_factory=dict)
    #: exercise -> the answer cell's source, as submitted
    answers: dict[str, str] = field(default_factory=dict)


@dataclass
class ClassReport:
    lesson: str
    exercises: list[Exercise]
    students: list[Student]
    groups: list[grouping.Group]

    def in_state(self, *states: str) -> list[Student]:
        return [s for s in self.students if s.state in states]

    @property
    def late(self) -> list[Student]:
        return [s for s in self.students if s.state != state.MISSING and s.minutes_late > 0]

    def wrong(self, exercise: str) -> int:
        return sum(1 for g in self.groups if g.key.exercise == exercise for _ in g.members)

    def right(self, exercise: str) -> int:
        """Grouped students whose answer to ``exercise`` failed no test."""
        return sum(1 for s in self.students if s.state in GROUPED
                   and exercise not in s.failures and s.scores.get(exercise) is not None)


def answers_of(nb: NotebookNode, exercises: list[Exercise]) -> dict[str, str]:
    """Each exercise's answer cell source in an autograded notebook."""
    from ...base import lessons, notebooks

    ids = {e.id for e in exercises}
    found: dict[str, str] = {}
    for cell in nb.get("cells", []):
        if isinstance(cell, dict) and lessons.kind(cell) == "answer":
            gid = notebooks.grade_id(cell)
            if gid in ids and gid not in found:
                source = cell.get("source", "")
                found[gid] = source if isinstance(source, str) else "".join(source)
    return found


def read_notebooks(student: Student, nbs: dict[str, NotebookNode],
                   exercises: list[Exercise]) -> None:
    """The student's failures and answers, from their autograded notebooks (by name)."""
    for name, nb in sorted(nbs.items()):
        mine = [e for e in exercises if e.notebook == name]
        tests = {e.id: e.tests for e in mine}
        for exercise, failure in failures.read(nb, tests).items():
            student.failures.setdefault(exercise, failure)
        for exercise, source in answers_of(nb, mine).items():
            student.answers.setdefault(exercise, source)


def build(lesson: str, exercises: list[Exercise], students: list[Student],
          mistakes: dict[grouping.Key, str] | None = None) -> ClassReport:
    """The report: every wrong answer of a student in :data:`GROUPED` states, grouped."""
    members = [grouping.Member(s.student, failure, s.answers.get(exercise, ""))
               for s in sorted(students, key=lambda s: s.student) if s.state in GROUPED
               for exercise, failure in sorted(s.failures.items())]
    groups = grouping.group(members, [e.id for e in exercises], mistakes)
    return ClassReport(lesson, exercises, sorted(students, key=lambda s: s.student), groups)
