"""The course's nbgrader_config.py grades in the guarded, sandboxed kernel and flags answers."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("nbgrader")

import nbformat  # noqa: E402
from nbclient import NotebookClient  # noqa: E402
from nbgrader.converters import Autograde  # noqa: E402
from nbgrader.preprocessors import SaveAutoGrades  # noqa: E402

from autograder.grading.checks import run  # noqa: E402
from autograder.grading.plugins.guarded import GuardedExecute  # noqa: E402
from autograder.grading.sandbox.kernel import GradingKernelManager  # noqa: E402

CONFIG = Path(__file__).resolve().parents[2] / "nbgrader_config.py"


def test_autograde_runs_guarded_executor_then_flags_after_saving_grades():
    config = run.load_config(CONFIG)
    names = [p if isinstance(p, str) else p.__name__
             for p in Autograde(config=config).autograde_preprocessors]
    assert "autograder.grading.plugins.guarded.GuardedExecute" in names
    assert names.index("autograder.grading.plugins.review.FlagForReview") == (
        names.index(SaveAutoGrades.__name__) + 1)


def test_guarded_executor_starts_guarded_sandboxed_kernels():
    executor = GuardedExecute(config=run.load_config(CONFIG))
    # preprocess() re-initialises the client for its notebook (nbconvert's ExecutePreprocessor);
    # only then does the configured kernel manager class show.
    NotebookClient.__init__(executor, nbformat.v4.new_notebook())
    assert isinstance(executor.create_kernel_manager(), GradingKernelManager)
    km = GradingKernelManager(config=run.load_config(CONFIG))
    assert km.guard and km.sandbox
    assert executor.answer_timeout is not None  # GradingExecute's settings apply too
