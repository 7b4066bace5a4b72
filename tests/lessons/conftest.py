"""Shared by the lesson checks: one `LessonRuns` per session; measured times in the summary."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("nbgrader")

from lesson_suite import REPO, LessonRuns  # noqa: E402

from autograder.grading.checks import run  # noqa: E402

_RUNS: list[LessonRuns] = []
_SELECTED: set = set()


def pytest_collection_finish(session):
    """Remember which corpus answers this session runs, so only those are graded."""
    for item in session.items:
        spec = getattr(item, "callspec", None)
        if spec and {"key", "lesson", "student"} <= set(spec.params):
            _SELECTED.add((spec.params["key"], spec.params["lesson"], spec.params["student"]))
        elif spec and item.module.__name__ == "test_checks_work" and "name" in spec.params:
            _SELECTED.add(("fixture", "00_fixture", f"tally__{spec.params['name']}"))


HERE = Path(__file__).resolve().parent


def _lesson_of(item: pytest.Item) -> tuple[str, str] | None:
    """(course key, lesson) whose generated and graded runs ``item`` uses, if it names one."""
    params = getattr(getattr(item, "callspec", None), "params", {})
    if "lesson" in params:  # without a key: one of the repository's lessons (test_self_study)
        return params.get("key", "repo"), params["lesson"]
    if "key" in params and "path" in params:  # a source notebook: source/<lesson>/<name>.ipynb
        return params["key"], Path(params["path"]).parent.name
    if item.module.__name__ == "test_checks_work":  # the fixture lesson's checks
        return "fixture", item.module.LESSON
    return None


def pytest_itemcollected(item: pytest.Item) -> None:
    """Under pytest-xdist, a lesson's tests run on one worker (tests/conftest.py): it generates
    and grades that lesson once, while another worker takes another lesson."""
    if not item.path.resolve().is_relative_to(HERE):
        return
    lesson = _lesson_of(item) if hasattr(item, "module") else None
    if lesson is not None and {"lesson_runs", "visible_grades"} & set(item.fixturenames):
        item.add_marker(pytest.mark.xdist_group("lesson:" + ":".join(lesson)))


@pytest.fixture(scope="session")
def lesson_runs(tmp_path_factory) -> LessonRuns:
    runs = LessonRuns(
        tmp_path_factory.mktemp("lessons"), run.load_config(REPO.config), set(_SELECTED)
    )
    _RUNS.append(runs)
    return runs


def pytest_terminal_summary(terminalreporter):
    if not _RUNS or not _RUNS[0].times:
        return
    times = _RUNS[0].times
    terminalreporter.section("lesson timings (seconds)")
    for kind in sorted({k for k, _ in times}):
        rows = sorted((name, s) for k, name in times if k == kind for s in [times[k, name]])
        worst = max(s for _, s in rows)
        terminalreporter.write_line(f"{kind}: {len(rows)} measured, max {worst:.1f}")
        for name, seconds in rows:
            terminalreporter.write_line(f"    {seconds:6.1f}  {name}")
