"""Issue 24, on the corpora: grading day's class report groups real graded answers as it should.

Per lesson, the corpus's tagged answers (the lessons' classic mistakes), its right answers and
the solution, graded by the session's shared `nbgrader autograde` runs (test_corpus grades the
same submissions: in a whole run nothing is graded twice):

- every tagged classic mistake forms its own group: its group holds no answer tagged with
  another mistake, and is recognised as its mistake (the table of
  ``autograder/grading/day/report/classic_mistakes.json`` is current);
- right answers form none: an answer expected to earn full points is in no group of its
  exercise;
- the same submissions give the same report, byte for byte.
"""

from __future__ import annotations

import random

import nbformat
import pytest
from lesson_suite import REPO

from autograder.grading.checks import checks, corpus
from autograder.grading.day.report import Exercise, Student, build, classic, render
from autograder.grading.day.report.model import read_notebooks

KEY = "repo"


def _answers() -> dict[str, list[corpus.Answer]]:
    """lesson -> its tagged and right corpus answers (the lessons with a tagged one)."""
    answers, _ = corpus.load(REPO.corpus)
    exercises = REPO.exercises()
    found: dict[str, list[corpus.Answer]] = {}
    for a in answers:
        if a.exercise in exercises and (a.mistake or a.expect == "full") and not a.flags:
            found.setdefault(exercises[a.exercise].lesson, []).append(a)
    return {lesson: found[lesson] for lesson in sorted(found)
            if any(a.mistake for a in found[lesson])}


ANSWERS = _answers()
LESSONS = sorted(ANSWERS)


def test_lessons_01_to_10_have_tagged_mistakes():
    assert [lesson[:2] for lesson in LESSONS] == [
        "01", "02", "03", "04", "05", "06", "07", "09", "10"]  # 08: a quiz, its answers hidden


def _class(lesson: str, lesson_runs) -> tuple[list[Exercise], list[Student], dict]:
    """The lesson's exercises, and a student per answer (and the solution), read from their
    autograded notebooks."""
    answers = ANSWERS[lesson]
    students = [a.student for a in answers] + [checks.SOLUTION]
    if lesson_runs.selected is not None:  # graded with the session's runs of these groups
        lesson_runs.selected |= {(KEY, lesson, s) for s in students}
    exercises = [Exercise(e.id, e.notebook, e.points, e.test_ids)
                 for e in REPO.exercises().values() if e.lesson == lesson]
    class_ = []
    for sid in students:
        grading = lesson_runs.graded(KEY, lesson, sid)
        root = grading.first.roots[sid]
        s = Student(sid)
        nbs = {}
        for ex in exercises:
            s.scores[ex.id] = grading.score(sid, ex.id)
            path = root / "autograded" / sid / lesson / f"{ex.notebook}.ipynb"
            nbs.setdefault(ex.notebook, nbformat.read(path, as_version=4))
        read_notebooks(s, nbs, exercises)
        class_.append(s)
    return exercises, class_, {a.student: a for a in answers}


@pytest.mark.parametrize("lesson", LESSONS)
def test_classic_mistakes_form_their_own_groups_and_right_answers_none(lesson, lesson_runs):
    exercises, class_, answers = _class(lesson, lesson_runs)
    report = build(lesson, exercises, class_, classic.load())
    problems = []
    for g in report.groups:
        tags = {answers[s].mistake for s in g.students
                if s in answers and answers[s].exercise == g.key.exercise}
        if len(tags - {""}) > 1:
            problems.append(f"{g.key}: one group for the mistakes {sorted(tags)}")
        right = [s for s in g.students if s == checks.SOLUTION or (
            s in answers and answers[s].exercise == g.key.exercise
            and answers[s].expect == "full")]
        if right:
            problems.append(f"{g.key}: right answers in a group: {right}")
    group_of = {(s, g.key.exercise): g for g in report.groups for s in g.students}
    fresh = []
    for a in answers.values():
        if not a.mistake:
            continue
        g = group_of.get((a.student, a.exercise))
        if g is None:
            problems.append(f"{a.student} (tagged {a.mistake!r}) is in no group")
            continue
        fresh.append(classic.entry(a, g.members[g.students.index(a.student)].failure))
        if g.mistake != a.mistake:
            problems.append(f"{a.student}: its group {g.key} is recognised as "
                            f"{g.mistake!r}, not its tag {a.mistake!r}")
    if any("recognised as" in p for p in problems):
        problems.append("the table of classic mistakes is not current; regenerate it: "
                        f"python -m autograder.grading.day.report.classic {lesson}\n"
                        f"entries now: {fresh}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lesson", LESSONS[:1])
def test_the_same_submissions_give_the_same_report(lesson, lesson_runs, tmp_path):
    exercises, class_, _ = _class(lesson, lesson_runs)
    first = render(build(lesson, exercises, class_, classic.load()))
    exercises, again, _ = _class(lesson, lesson_runs)  # read again, in another order
    random.Random(24).shuffle(again)
    assert render(build(lesson, exercises, again, classic.load())) == first
