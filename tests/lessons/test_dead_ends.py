"""Break-it puzzles (lesson 10): a schedule that can no longer reach the goal is told so, and
where. The engine decides it from the replayed state: it searches every continuation of the
schedule (`testkit.dead_end`), then of its shorter prefixes, for one that reaches the goal.

The puzzles' programs are the source notebook's given cells; the goals are its test cells'.
"""

from __future__ import annotations

import importlib.util
import sys
import time

import nbformat
import pytest
from lesson_suite import REPO

from autograder.grading import testkit

NOTEBOOK = REPO.source / "10_puzzles" / "10_puzzles.ipynb"


def _failed_with(name: str) -> object:
    return lambda s: (s.done and s.outcome == "exception" and s.failure is not None
                      and name in s.failure.message)


def _deadlocked(s) -> bool:
    return s.done and s.outcome == "deadlock"


#: puzzle -> (given cell, setup, threads, goal, a dead-end prefix, its last step that could still
#: reach the goal, a prefix that is no dead end)
PUZZLES = {
    "flag": ("given_flag", "flag_setup", "flag_threads",
             lambda s: len(s.state.inside) == 2,
             ["T1", "T1", "T1", "T2", "T2", "T2", "T2"], 2, ["T1", "T1"]),
    "tickets": ("given_tickets", "tickets_setup", "tickets_threads", _deadlocked,
                ["Ann"] * 9 + ["Bob"], None, ["Ann", "Ann"]),
    "wait_if": ("given_wait_if", "jobs_setup", "wait_if_threads",
                _failed_with("IndexError"), ["boss"] * 7 + ["W1"], None, ["W1", "W1"]),
    "lazy_init": ("given_lazy_init", "config_setup", "lazy_init_threads",
                  _failed_with("KeyError"), ["T2"] * 13 + ["T1"], None, ["T1", "T1"]),
    "gate": ("given_gate", "gate_setup", "gate_threads", _deadlocked,
             ["express"] * 7 + ["auditor"], 4, ["auditor"] * 10),
}


@pytest.fixture(scope="module")
def given(tmp_path_factory):
    """The given cells, as one module in a file of its own (the engine traces it)."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c.source for c in nb.cells}
    path = tmp_path_factory.mktemp("puzzles") / "puzzles_given.py"
    path.write_text("\n\n".join(cells[gid] for gid, *_ in PUZZLES.values()))
    spec = importlib.util.spec_from_file_location("puzzles_given", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["puzzles_given"] = module
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("puzzles_given", None)


@pytest.mark.parametrize("puzzle", sorted(PUZZLES))
def test_a_dead_end_is_named_with_its_last_good_step(puzzle, given):
    _, setup, threads, goal, prefix, last, alive = PUZZLES[puzzle]
    setup, threads = getattr(given, setup), getattr(given, threads)
    started = time.monotonic()
    said = testkit.dead_end(prefix, setup, threads, goal)
    assert said, f"{prefix} is a dead end, but the search says {said!r}"
    assert f"No continuation of these {len(prefix)} steps reaches the goal" in said, said
    if last is not None:
        assert f"the last step after which it still could is step {last}." in said, said
    assert testkit.dead_end(alive, setup, threads, goal) == "", alive
    assert time.monotonic() - started < 10


def test_the_puzzle_test_says_where_the_dead_end_began(given):
    _, setup, threads, goal, prefix, last, _ = PUZZLES["flag"]
    with pytest.raises(AssertionError) as failed:
        testkit.session_steps(prefix, getattr(given, setup), getattr(given, threads), goal,
                              "both inside", show=lambda s: f"s.inside = {s.inside}")
    message = str(failed.value)
    assert "add the steps" not in message, message
    assert f"still could is step {last}. Keep steps 1 to {last}" in message, message


def test_no_board_of_a_graded_puzzle_shows_the_whole_answer():
    """Every break-it board of the release notebook is graded=True: its "Show me" gives only the
    start of the engine's answer (tests/course/test_course_board.py checks what that shows)."""
    nb = nbformat.read(REPO.release / "10_puzzles" / "10_puzzles.ipynb", as_version=4)
    boards = [c.source for c in nb.cells if c.cell_type == "code" and "scheduler(" in c.source
              and "Board(" in c.source]
    assert len(boards) == len(PUZZLES), boards
    assert all("graded=True" in source for source in boards), boards
