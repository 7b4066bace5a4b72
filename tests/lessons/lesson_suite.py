"""What tests/lessons checks: every lesson of the repository's source/, and the fixture lesson of
tests/lessons/fixtures/ (which proves each check works, also while source/ is empty), and
`LessonRuns`, which does each expensive run (nbgrader generate_assignment, a class's autograde)
once per lesson for the whole session.
"""

from __future__ import annotations

import faulthandler
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from autograder.grading.base import lessons
from autograder.grading.checks import checks, corpus

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
    """Runs shared by the tests of a session, each done at most once.

    A lesson is generated once; its submissions (the solution, the stub and its corpus answers)
    are graded together, the first time a test asks for one of them: each of two parallel
    autograde runs grades a share of them, plus a second grading of some of them (all of the
    fixture's) to compare; and only the answers the session selected (`pytest -k counter` grades
    the counter corpus alone). One nbgrader run per share, not per exercise: each run costs a few
    seconds of start-up before it grades anything."""

    workdir: Path
    config: object
    selected: set | None = None  # {(key, lesson, student)}; None: all
    times: dict = field(default_factory=dict)  # (kind, name) -> seconds
    executed: dict = field(default_factory=dict)  # source notebook path -> executed notebook
    _generated: dict = field(default_factory=dict)
    _classes: dict = field(default_factory=dict)  # (key, lesson) -> (submissions, exercises)
    _graded: dict = field(default_factory=dict)  # (key, lesson) -> [LessonGrading]

    def generated(self, key: str, lesson: str):
        if (key, lesson) not in self._generated:
            where = Path(tempfile.mkdtemp(prefix=f"gen-{lesson}-", dir=self.workdir))
            self._generated[key, lesson] = checks.generate(COURSES[key], lesson, where / "course")
        return self._generated[key, lesson]

    def submissions(self, key: str, lesson: str):
        """The lesson's class (every submission and the exercises), made once."""
        if (key, lesson) not in self._classes:
            course = COURSES[key]
            answers, _ = corpus.load(course.corpus)
            # The fixture's answers get the other exercise's solution, to show the rest of a
            # notebook graded as usual after a broken answer; the lessons' keep the other stubs.
            others = "solution" if key == "fixture" else "stub"
            release = self.generated(key, lesson).root / "release" / lesson
            self._classes[key, lesson] = checks.submissions(course, lesson, answers, release,
                                                            others)
        return self._classes[key, lesson]

    def graded(self, key: str, lesson: str, student: str) -> checks.LessonGrading:
        """The grading of the submissions of `student`'s lesson (the selected ones)."""
        generated = self.generated(key, lesson)
        subs, exercises = self.submissions(key, lesson)
        (mine,) = [s for s in subs if s.student == student]
        done = self._graded.setdefault((key, lesson), [])
        for grading in done:
            if any(s.student == student for s in grading.submissions):
                return grading
        graded = {s.student for grading in done for s in grading.submissions}
        group = [
            s for s in subs
            if s.student not in graded
            and (self.selected is None or (key, lesson, s.student) in self.selected or s is mine)
        ]
        where = Path(tempfile.mkdtemp(prefix=f"{lesson}-", dir=self.workdir))
        # An autograde run may outlast pytest's faulthandler_timeout: no stack dump for it (the
        # run is bounded by nbgrade.TempCourse's own timeout).
        faulthandler.cancel_dump_traceback_later()
        # The fixture lesson grades every answer twice; the lessons, a sample (GRADING_TWICE).
        twice = "all" if key == "fixture" else None
        grading = checks.grade(generated, lesson, group, exercises, where, twice)
        done.append(grading)
        self.times["autograde runs of a lesson (wall)", f"{key}/{lesson}#{len(done)}"] = (
            grading.first.wall
        )
        for sub in group:
            name = f"{lesson}/{sub.student}"
            wall = "grading one submission (wall; best of 2 when graded twice)"
            self.times[wall, name] = grading.seconds(sub.student)
            self.times["grading one submission (CPU)", name] = grading.first.cpu.get(
                sub.student, float("nan")
            )
        return grading
