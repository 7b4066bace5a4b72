"""The suite's slice of the mutation analysis (docs/mutants.md): a handful of operators on one
small exercise, graded by nbgrader autograde like a student's answer; no mutant may survive."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("nbgrader")

from autograder.grading.base import lessons  # noqa: E402
from autograder.grading.mutants import cli, equivalent, operators, report  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
OPERATORS = ("check_outside_lock", "split_region", "shrink_region_end")


def test_bank_account_kills_every_mutant_of_the_slice(tmp_path):
    course = lessons.Course.at(REPO)
    ops = tuple(operators.BY_NAME[name] for name in OPERATORS)
    outcomes, problems = cli.run_lesson(course, "01_race_conditions", tmp_path, ["bank_account"],
                                        ops, 2, equivalent.load(REPO / equivalent.PATH))
    assert not problems, problems
    assert {o.operator for o in outcomes} == set(OPERATORS)
    survivors = [f"{o.id}: {o.details[:1]}" for o in outcomes if o.fate == report.SURVIVED]
    assert not survivors, f"test gaps: {survivors}"
    killed = [o for o in outcomes if o.fate in (report.VISIBLE, report.HIDDEN)]
    assert killed, "no mutant was killed: the slice graded nothing"
