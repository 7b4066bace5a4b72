"""What tests/lessons checks: every lesson of the repository's source/, and the fixture lesson of
tests/lessons/fixtures/ (which proves each check works, also while source/ is empty), and
`LessonRuns`, which does each expensive run (nbgrader generate_assignment, a class's autograde)
once per lesson for the whole session.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from autograder.grading import checks, corpus, lessons

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"

REPO = lessons.Course.at(ROOT)
FIXTURE = lessons.Course(
    FIXTURES, FIXTURES / "source", FIXTURES / "release", FIXTURES / "corpus",
    ROOT / "nbgrader_config.py",
)
COURSES = {"repo": REPO, "fixture": FIXTURE}


def _lessons():
    return [(key, lesson) for key, course in COURSES.items() for lesson in course.lessons()]


def _notebooks():
    return [(key, path) for key, course in COURSES.items() for path in course.source_notebooks()]


def _answers():
    found = []
    for key, course in COURSES.items():
        answers, _ = corpus.load(course.corpus)
        exercises = course.exercises()
        for answer in answers:
            if answer.exercise in exercises:
                found.append((key, exercises[answer.exercise].lesson, answer.student))
        for lesson in course.lessons():
            found += [(key, lesson, checks.SOLUTION), (key, lesson, checks.STUB)]
    return found


LESSONS = _lessons()
NOTEBOOKS = _notebooks()
ANSWERS = _answers()
LESSON_IDS = [lesson for _, lesson in LESSONS]
NOTEBOOK_IDS = [f"{p.parent.name}/{p.name}" for _, p in NOTEBOOKS]
ANSWER_IDS = [f"{lesson}-{student}" for _, lesson, student in ANSWERS]


@dataclass
class LessonRuns:
    """Runs shared by the tests of a session, each done at most once."""

    workdir: Path
    config: object
    times: dict = field(default_factory=dict)  # (kind, name) -> seconds
    _generated: dict = field(default_factory=dict)
    _graded: dict = field(default_factory=dict)

    def generated(self, key: str, lesson: str):
        if (key, lesson) not in self._generated:
            where = Path(tempfile.mkdtemp(prefix=f"gen-{lesson}-", dir=self.workdir))
            self._generated[key, lesson] = checks.generate(COURSES[key], lesson, where)
        return self._generated[key, lesson]

    def graded(self, key: str, lesson: str) -> checks.LessonGrading:
        if (key, lesson) not in self._graded:
            course = COURSES[key]
            answers, _ = corpus.load(course.corpus)
            where = Path(tempfile.mkdtemp(prefix=f"grade-{lesson}-", dir=self.workdir))
            grading = checks.grade_lesson(course, lesson, answers, where)
            self._graded[key, lesson] = grading
            self.times["autograde run (wall, two runs in parallel)", lesson] = grading.first.wall
            for student, seconds in grading.first.seconds.items():
                self.times["grading one submission", f"{lesson}/{student}"] = seconds
        return self._graded[key, lesson]
