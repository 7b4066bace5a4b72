"""The grading-day benchmark's synthetic class (no grading: that is the benchmark's own run)."""

from __future__ import annotations

from pathlib import Path

from autograder.grading.base import lessons, notebooks
from autograder.grading.bench import grading_day
from autograder.grading.checks import corpus

REPO = Path(__file__).resolve().parents[2]


def test_the_class_takes_every_kind_of_answer_in_turn_over_the_lessons():
    course = lessons.Course.at(REPO)
    ids = ["01_race_conditions", "05_deadlock"]
    plans = grading_day.class_of(course, ids, 12)
    assert [p[0] for p in plans] == ids * 6
    assert sorted({p[2] for p in plans}) == sorted(grading_day.KINDS)
    assert len({p[1] for p in plans}) == 12  # one student id per submission
    solution = corpus.solutions(notebooks.read(course.source / ids[0] / f"{ids[0]}.ipynb"))
    by_kind = {kind: answers for lesson, _, kind, answers in plans if lesson == ids[0]}
    assert by_kind["right"] == solution
    assert "def broken(:" in next(iter(by_kind["syntax_error"].values()))
    for kind in ("wrong", "deadlocking", "spinning", "tampering"):
        assert by_kind[kind] != solution, kind
    assert "tamper" in by_kind["tampering"]["counter"].lower() or any(
        "tamper" in a.name for a in corpus.load(course.corpus)[0]
        if a.source == by_kind["tampering"]["counter"])
