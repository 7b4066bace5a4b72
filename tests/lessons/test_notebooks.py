"""Checks 1 and 3, and the stub half of check 2: every lesson notebook follows the conventions,
is committed clean, runs top to bottom with every test passing within the time limit, and its
released stub fails every test."""

from __future__ import annotations

import pytest
from lesson_suite import COURSES, NOTEBOOK_IDS, NOTEBOOKS, REPO

from autograder.grading.base import lessons, notebooks
from autograder.grading.checks import checks, run


@pytest.mark.parametrize("key, path", NOTEBOOKS, ids=NOTEBOOK_IDS)
def test_structure(key, path):
    problems = checks.structure(COURSES[key], path)
    assert not problems, "\n".join(problems)


def test_exercise_ids_are_unique_over_the_course():
    problems = lessons.course_problems(REPO)
    assert not problems, "\n".join(problems)


def _committed():
    found = []
    for key, course in COURSES.items():
        paths = checks.committed_notebooks(course) if key == "repo" else []
        for path in [*course.source_notebooks(), *paths]:
            if path not in found:
                found.append(path)
        for path in course.source_notebooks():
            release = course.release_notebook(path)
            if release.exists() and release not in found:
                found.append(release)
    return found


COMMITTED = _committed()


@pytest.mark.parametrize(
    "path", COMMITTED, ids=[str(p.relative_to(REPO.root)) for p in COMMITTED]
)
def test_committed_without_outputs(path):
    problems = notebooks.file_dirt(path)
    assert not problems, (
        f"{path.relative_to(REPO.root)}: "
        + "; ".join(problems)
        + "\n(strip them: python -m autograder.grading clean <path>)"
    )


@pytest.mark.parametrize("key, path", NOTEBOOKS, ids=NOTEBOOK_IDS)
def test_source_runs_and_passes_every_test(key, path, lesson_runs):
    result = run.validate_source(path, lesson_runs.config)
    lesson_runs.times["source notebook run (nbgrader Validator)", path.name] = result.seconds
    lesson_runs.executed[path] = result.executed  # its output claims: test_self_study.py
    problems = result.problems()
    assert not problems, f"{path.name}: {len(problems)} failing cell(s):\n\n" + "\n\n".join(
        problems
    )
    assert result.seconds < checks.SOURCE_RUN_SECONDS, (
        f"{path.name} took {result.seconds:.1f} s to run (limit {checks.SOURCE_RUN_SECONDS:g} s)"
    )


@pytest.mark.parametrize("key, path", NOTEBOOKS, ids=NOTEBOOK_IDS)
def test_every_test_fails_on_the_released_stub(key, path, lesson_runs):
    release = COURSES[key].release_notebook(path)
    if not release.exists():
        pytest.fail(f"{release} is missing: python -m autograder.grading release")
    result = run.validate_stub(release, lesson_runs.config)
    lesson_runs.times["release notebook run (stubs)", path.name] = result.seconds
    problems = result.problems()
    assert not problems, (
        f"{release.name}: test cells that pass on the stub (they give points away):\n\n"
        + "\n\n".join(problems)
    )
