"""Check 4: every corpus answer, graded by a real `nbgrader autograde` run, earns what its header
expects, gets a score, takes at most 10 s, and scores the same when graded a second time (all the
fixture's answers, a sample of the lessons'). The source solution (expected full) and the release
stub (expected zero) are graded with them."""

from __future__ import annotations

import pytest
from lesson_suite import ANSWER_IDS, ANSWERS, COURSES

from autograder.grading.checks import checks, corpus


@pytest.mark.parametrize("key", sorted(COURSES))
def test_corpus_files_follow_the_format(key):
    answers, problems = corpus.load(COURSES[key].corpus)
    problems += checks.corpus_problems(COURSES[key], answers)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("key, lesson, student", ANSWERS, ids=ANSWER_IDS)
def test_answer_is_graded_as_expected(key, lesson, student, lesson_runs):
    grading = lesson_runs.graded(key, lesson, student)
    assert grading.first.returncode == 0, (
        "nbgrader autograde failed:\n" + grading.first.log[-4000:]
    )
    (sub,) = [s for s in grading.submissions if s.student == student]
    problems = grading.unmet(sub)
    problems += [m for m in grading.missing() if m.startswith(f"{student}:")]
    problems += [m for m in grading.nondeterministic() if m.startswith(f"{student}:")]
    why = f"\n(why: {sub.answer.why})" if sub.answer and sub.answer.why else ""
    assert not problems, "\n".join(problems) + why


@pytest.mark.parametrize("key, lesson, student", ANSWERS, ids=ANSWER_IDS)
def test_answer_is_graded_in_time(key, lesson, student, lesson_runs):
    """At most 10 s per submission (nbgrader's convert hooks time it; the lesser of two runs'
    when graded twice). When the wall time is over but the CPU time is not and the machine's
    CPUs were contended, the measure says nothing: skipped, saying so."""
    ok, said = lesson_runs.graded(key, lesson, student).timing(student)
    if ok is None:
        pytest.skip(said)
    assert ok, said
