"""Running a lesson notebook the way nbgrader does, with nbgrader's own ``Validator``.

``nbgrader validate`` exits 0 even when tests fail, so the checks call its Python API instead and
read the result: :func:`validate_source` (every code cell runs, every test passes: what
``nbgrader validate`` checks, plus errors in cells that are not tests) and :func:`validate_stub`
(``nbgrader validate --invert``: every test cell fails). Both execute with the course's
``nbgrader_config.py`` and with :class:`~autograder.grading.plugins.execute.GradingExecute`, so a
hung cell is reported as an error rather than hanging the check.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from nbformat import NotebookNode
from nbgrader.preprocessors import CheckCellMetadata, ClearOutput
from nbgrader.validator import Validator
from traitlets.config.loader import PyFileConfigLoader

from ..plugins.execute import GradingExecute


@dataclass
class Validation:
    path: Path
    seconds: float
    #: nbgrader's result: {"failed": [...]} / {"passed": [...]} / {"changed": [...]} / {}
    results: dict = field(default_factory=dict)
    #: the notebook as executed, outputs included (for the output claims of
    #: grading/checks/claims.py)
    executed: NotebookNode | None = None

    def problems(self) -> list[str]:
        out = []
        for key, cells in self.results.items():
            for cell in cells:
                text = cell.get("raw_error") or ""
                out.append(f"[{key}] {cell.get('source', '')[:300]}\n{text[-1500:]}".rstrip())
        return out


def load_config(config_file: str | Path):
    path = Path(config_file)
    return PyFileConfigLoader(path.name, path=str(path.parent)).load_config()


def _validator(config, *, invert: bool) -> Validator:
    validator = Validator(config=config)
    validator.preprocessors = [CheckCellMetadata, ClearOutput, GradingExecute]
    validator.invert = invert
    # Not only test cells: an error (or stderr output) in any code cell fails the source.
    validator.validate_all = not invert
    return validator


def validate_source(path: str | Path, config) -> Validation:
    """Execute a source notebook: any error, stderr output or failing test is a problem."""
    path = Path(path).resolve()
    validator = _validator(config, invert=False)
    executed = []
    preprocess = validator._preprocess  # nbgrader keeps the executed notebook to itself

    def keep(nb):
        executed.append(preprocess(nb))
        return executed[-1]

    validator._preprocess = keep
    t0 = time.perf_counter()
    results = validator.validate(str(path))
    return Validation(path, time.perf_counter() - t0, results, executed[-1] if executed else None)


def validate_stub(path: str | Path, config) -> Validation:
    """Execute a release notebook: every test cell that passes is a problem."""
    path = Path(path).resolve()
    t0 = time.perf_counter()
    results = _validator(config, invert=True).validate(str(path))
    return Validation(path, time.perf_counter() - t0, results)
