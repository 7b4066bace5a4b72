"""Issue 9 in real `nbgrader autograde` runs (the corpus runs of test_corpus, shared, so no extra
grading): every cheat of the corpus earns nothing and is flagged in the gradebook for manual
review with the reasons its `# flag:` header names; no other answer is flagged."""

from __future__ import annotations

import pytest
from lesson_suite import ANSWER_IDS, ANSWERS, COURSES

from autograder.grading.checks import corpus, run
from autograder.grading.plugins import review

#: key -> student -> corpus answer (each corpus read once, not once per answer)
_BY_STUDENT: dict[str, dict[str, corpus.Answer]] = {}
for _key, _course in COURSES.items():
    for _found in corpus.load(_course.corpus)[0]:
        _BY_STUDENT.setdefault(_key, {}).setdefault(_found.student, _found)


def _answer(key: str, student: str) -> corpus.Answer | None:
    return _BY_STUDENT.get(key, {}).get(student)


CHEATS = [(k, lesson, s) for k, lesson, s in ANSWERS if "__cheat_" in s]
HONEST = [(k, lesson, s) for k, lesson, s in ANSWERS
          if k == "repo" and not ((a := _answer(k, s)) and a.flags)]


def _review(grading, lesson: str, student: str):
    root = grading.first.roots[student]
    course_id = run.load_config(root / "nbgrader_config.py").CourseDirectory.course_id
    return review.flagged_in_gradebook(
        "sqlite:///" + str(root / "gradebook.db"), course_id, lesson, student)


@pytest.mark.parametrize("key, lesson, student", CHEATS,
                         ids=[f"{lesson}-{s}" for _, lesson, s in CHEATS])
def test_cheat_earns_nothing_and_is_flagged_for_review(key, lesson, student, lesson_runs):
    answer = _answer(key, student)
    grading = lesson_runs.graded(key, lesson, student)
    assert grading.first.returncode == 0, grading.first.log[-4000:]
    assert grading.score(student, answer.exercise) == 0, grading.first.failures(
        student, lesson, grading.exercises[answer.exercise].test_ids)
    comments, manual = _review(grading, lesson, student)
    comment = comments.get(answer.exercise, "")
    assert comment.startswith(review.PREFIX), f"not flagged: {comments}"
    for reason in answer.flags:
        assert f"({reason})" in comment, f"not flagged for {reason}: {comment}"
    assert set(grading.exercises[answer.exercise].test_ids) <= manual


@pytest.mark.parametrize("key, lesson, student", HONEST,
                         ids=[i for i, a in zip(ANSWER_IDS, ANSWERS, strict=True) if a in HONEST])
def test_honest_answer_is_not_flagged(key, lesson, student, lesson_runs):
    grading = lesson_runs.graded(key, lesson, student)
    comments, manual = _review(grading, lesson, student)
    assert not comments, comments
    tests = {t for ex in grading.exercises.values() for t in ex.test_ids}
    assert not manual & tests, f"test cells marked for manual grading: {manual & tests}"
