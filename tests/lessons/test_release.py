"""Check 2: release/ is exactly what `nbgrader generate_assignment` makes from source/."""

from __future__ import annotations

import pytest
from lesson_suite import COURSES, LESSON_IDS, LESSONS

from autograder.grading.checks import checks


@pytest.mark.parametrize("key, lesson", LESSONS, ids=LESSON_IDS)
def test_release_is_generated_from_source(key, lesson, lesson_runs):
    generated = lesson_runs.generated(key, lesson).root / "release" / lesson
    problems = checks.release_differences(COURSES[key], lesson, generated)
    assert not problems, (
        "\n".join(problems)
        + f"\n(regenerate: python -m autograder.grading release {lesson})"
    )
