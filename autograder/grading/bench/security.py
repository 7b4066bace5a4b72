"""What the guard and the sandbox cost per submission (``python -m
``autograder.grading.bench.security``).

Executes the same notebook (``--cells`` trivial code cells, then 2 exercises of an answer and 3
test cells each, a lesson's shape) the way autograding does, ``--runs`` times in each of three
set-ups, kernel start and shutdown included, and prints the median wall time of each and the
differences:

* ``plain``: ``GradingExecute`` with the ordinary kernel (what grading did before issue 9);
* ``guard``: ``GuardedExecute``, guarded kernel, no sandbox (a check around answers and tests);
* ``guard+sandbox``: the course's configuration (the kernel inside bubblewrap).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time

import nbformat
from traitlets.config import Config

from ..plugins.execute import GradingExecute
from ..plugins.guarded import GuardedExecute

SETUPS = ("plain", "guard", "guard+sandbox")


def _notebook(cells: int, exercises: int = 2, tests: int = 3) -> nbformat.NotebookNode:
    """`cells` plain code cells, then per exercise an answer cell and `tests` test cells (a
    lesson's shape: the guard checks around the answers and tests)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(f"x{i} = {i}") for i in range(cells)]
    for e in range(exercises):
        answer = nbformat.v4.new_code_cell(f"def ex{e}():\n    return {e}")
        answer.metadata["nbgrader"] = {"grade_id": f"ex{e}", "solution": True, "grade": False}
        nb.cells.append(answer)
        for t in range(tests):
            test = nbformat.v4.new_code_cell(f"assert ex{e}() == {e}")
            test.metadata["nbgrader"] = {"grade_id": f"test_ex{e}_{t}", "solution": False,
                                         "grade": True, "points": 1}
            nb.cells.append(test)
    return nb


def once(setup: str, cells: int, cwd: str) -> float:
    """Seconds to execute the notebook once in one set-up, kernel start and stop included."""
    config = Config()
    if setup == "plain":
        executor = GradingExecute(config=config, timeout=30)
    else:
        config.GuardedExecute.kernel_manager_class = (
            "autograder.grading.sandbox.kernel.GradingKernelManager")
        config.GradingKernelManager.sandbox = setup == "guard+sandbox"
        executor = GuardedExecute(config=config, timeout=30)
    t0 = time.perf_counter()
    executor.preprocess(_notebook(cells), {"metadata": {"path": cwd}})
    return time.perf_counter() - t0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="What the guard and the sandbox cost.")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cells", type=int, default=30)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="security-bench-") as cwd:
        times = {s: [] for s in SETUPS}
        for _ in range(args.runs):  # interleaved, so that a busy moment hits every set-up
            for setup in SETUPS:
                times[setup].append(once(setup, args.cells, cwd))
    medians = {s: statistics.median(t) for s, t in times.items()}
    for setup in SETUPS:
        extra = medians[setup] - medians["plain"]
        print(f"{setup:14} median {medians[setup]:6.2f} s  (+{extra:5.2f} s over plain)  "
              f"runs: {', '.join(f'{t:.2f}' for t in times[setup])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
