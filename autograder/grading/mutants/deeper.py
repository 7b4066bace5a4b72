"""Deciding whether a surviving mutant is equivalent: deeper exploration than the tests.

A mutant that keeps full points on every test is run again, in a subprocess of its own (bounded
by a timeout: a hang is a finding), on

* the exercise's test cells, hidden tests included, with every ``explore`` given
  ``BUDGET_FACTOR`` times the executions and the time budget of the test, and no early stop
  before the search is exhaustive when it can be (:func:`scaled_explore`);
* the exercise's deeper scenarios (:mod:`.scenarios`: more threads, more rounds; listed per
  exercise in docs/mutants.md).

Whatever fails there is a test gap, not an equivalent mutant. The cells run in a plain
interpreter with the given (read-only) cells of the notebook before the mutant.

Run as ``python -m autograder.grading.mutants.deeper`` with a JSON request on stdin
(``{"cells": [...], "mutant": "...", "tests": [...], "exercise": "..."}``); prints one JSON line:
``{"findings": [...]}``.
"""

from __future__ import annotations

import builtins
import json
import subprocess
import sys
import traceback
from dataclasses import dataclass

from ..base import lessons, notebooks

#: How much more a test's explore may search when deciding equivalence.
BUDGET_FACTOR = 10
#: Seconds a deeper exploration of one mutant may take before it counts as a finding (a hang).
TIMEOUT = 900


@dataclass
class Request:
    exercise: str
    given: list[str]  # the notebook's read-only cells, in order
    mutant: str
    tests: list[str]  # the exercise's test cells, hidden tests included


def request(course: lessons.Course, lesson: str, exercise: str, mutant: str) -> Request:
    given, tests = [], []
    for path in course.source_notebooks(lesson):
        nb = notebooks.read(path)
        exs = lessons.exercises(nb, lesson, path.stem)
        if exercise not in exs:
            continue
        test_index = {t.index for t in exs[exercise].tests}
        for index, cell in enumerate(nb.cells):
            if lessons.kind(cell) == "given" and index < exs[exercise].answer_index:
                given.append(cell.source)
            elif index in test_index:
                tests.append(cell.source)
    return Request(exercise, given, mutant, tests)


def explore_deeper(req: Request, timeout: float = TIMEOUT) -> list[str]:
    """What the deeper exploration found wrong with the mutant (empty: nothing)."""
    try:
        out = subprocess.run([sys.executable, "-m", __name__], input=json.dumps(req.__dict__),
                             capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return [f"the deeper exploration did not finish in {timeout:g} s (a hang?)"]
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if out.returncode != 0 or not lines:
        return [f"the deeper exploration exited {out.returncode}: {out.stderr[-500:]}"]
    return json.loads(lines[-1])["findings"]


def scaled_explore(explore):
    """``explore`` with BUDGET_FACTOR times the test's budgets."""
    def deeper(*args, **kw):
        for key, default in (("max_executions", 1000), ("time_budget", 5.0)):
            kw[key] = kw.get(key, default) * BUDGET_FACTOR
        return explore(*args, **kw)
    return deeper


class _Scaled:
    """The ``autograder`` package as the test cells import it, ``explore`` scaled (the package
    itself is sealed against changes)."""

    def __init__(self, package):
        self._package = package
        self.explore = scaled_explore(package.explore)

    def __getattr__(self, name):
        return getattr(self._package, name)


def _scaled_import(package):
    real = builtins.__import__

    def imp(name, globals=None, locals=None, fromlist=(), level=0):
        module = real(name, globals, locals, fromlist, level)
        return _Scaled(module) if name == "autograder" and module is package else module
    return imp


def _run(req: Request) -> list[str]:
    import autograder

    from . import scenarios

    findings = []
    namespace: dict = {"__name__": "__main__"}
    for cell in [*req.given, req.mutant]:
        exec(compile(cell, "<cell>", "exec"), namespace)  # noqa: S102 - the course's own code
    tests_builtins = {**vars(builtins), "__import__": _scaled_import(autograder)}
    for number, cell in enumerate(req.tests, 1):
        try:
            exec(compile(cell, f"<cell: test {number}>", "exec"),  # noqa: S102
                 {**namespace, "__builtins__": tests_builtins})
        except BaseException as error:  # noqa: BLE001 - any failure is a finding
            findings.append(f"test cell {number} with {BUDGET_FACTOR}x budgets: "
                            f"{type(error).__name__}: {str(error)[:600]}")
    for scenario in scenarios.SCENARIOS.get(req.exercise, ()):
        try:
            result = scenario(dict(namespace))
        except BaseException as error:  # noqa: BLE001
            findings.append(f"{scenario.__name__}: {type(error).__name__}: "
                            + "".join(traceback.format_exception_only(error))[:600])
            continue
        if result is not None and not result.ok:
            findings.append(f"{scenario.__name__}: {result.message[:600]}")
    return findings


def main() -> int:
    req = Request(**json.loads(sys.stdin.read()))
    print(json.dumps({"findings": _run(req)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
