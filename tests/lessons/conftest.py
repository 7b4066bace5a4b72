"""Shared by the lesson checks: one `LessonRuns` per session; measured times in the summary."""

from __future__ import annotations

import pytest

pytest.importorskip("nbgrader")

from lesson_suite import REPO, LessonRuns  # noqa: E402

from autograder.grading import run  # noqa: E402

_RUNS: list[LessonRuns] = []


@pytest.fixture(scope="session")
def lesson_runs(tmp_path_factory) -> LessonRuns:
    runs = LessonRuns(tmp_path_factory.mktemp("lessons"), run.load_config(REPO.config))
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
