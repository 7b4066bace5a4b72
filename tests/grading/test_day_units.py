"""Grading day's small parts: the roster, due dates, the exchange folder, hidden tests in
feedback, the per-student table."""

from __future__ import annotations

import re
import stat
import sys
from datetime import datetime
from pathlib import Path

import nbformat
import pytest

from autograder.grading.day import export, jobs, setup, state, table, unreadable
from autograder.grading.day.config import Course, CourseError, load
from autograder.grading.day.jobs import Outcome
from autograder.grading.day.pipeline import DayReport
from autograder.grading.plugins import feedback

REPO = Path(__file__).resolve().parents[2]


def _course(tmp_path: Path, **kw) -> Course:
    base = {"root": tmp_path, "config": None, "course_id": "c", "db_url": "sqlite://",
                "exchange_root": tmp_path / "exchange", "roster": tmp_path / "roster.csv"}
    base.update(kw)
    return Course(**base)


def test_the_repository_config_sets_the_exchange_roster_and_timeouts():
    course = load(REPO)
    assert course.exchange_root == REPO / "exchange"
    assert course.roster == REPO / "roster.csv"
    assert course.db_url == f"sqlite:///{REPO / 'gradebook.db'}"
    assert course.config.ExecutePreprocessor.timeout >= 30


def test_a_missing_config_is_a_clear_error(tmp_path):
    with pytest.raises(CourseError, match="nbgrader_config.py not found"):
        load(tmp_path)


def test_roster_rows_and_mistakes(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("# class of 2027\nid,first_name,last_name,email\n"
                    "ada,Ada,Lovelace,ada@example.org\nbob,,,\n", encoding="utf-8")
    rows = setup.read_roster(path)
    assert rows == [{"id": "ada", "first_name": "Ada", "last_name": "Lovelace",
                     "email": "ada@example.org"},
                    {"id": "bob", "first_name": None, "last_name": None, "email": None}]
    path.write_text("id,name\nada,Ada\n", encoding="utf-8")
    with pytest.raises(CourseError, match="unknown columns"):
        setup.read_roster(path)
    path.write_text("id\nada\nada\n", encoding="utf-8")
    with pytest.raises(CourseError, match="listed twice"):
        setup.read_roster(path)
    path.write_text("first_name\nAda\n", encoding="utf-8")
    with pytest.raises(CourseError, match="'id' column"):
        setup.read_roster(path)


def test_due_dates_are_stored_as_naive_utc():
    assert setup.parse_due("2027-01-15 23:59") == datetime(2027, 1, 15, 23, 59)
    assert setup.parse_due("2027-01-15T23:59:00+01:00") == datetime(2027, 1, 15, 22, 59)
    with pytest.raises(CourseError, match="ISO 8601"):
        setup.parse_due("next friday")


def test_the_exchange_is_created_writable_by_everyone_and_sticky(tmp_path):
    root = setup.ensure_exchange(_course(tmp_path))
    assert stat.S_IMODE(root.stat().st_mode) == 0o1777
    root.chmod(0o755)
    setup.ensure_exchange(_course(tmp_path))
    assert stat.S_IMODE(root.stat().st_mode) == 0o1777


def _test_cell(source: str, outputs=()) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.outputs = list(outputs)
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": "test_quiz", "points": 1,
                                 "solution": False, "locked": True, "schema_version": 3}
    return cell


def test_feedback_hides_hidden_tests_and_tracebacks_quoting_them():
    error = nbformat.v4.new_output("error", ename="AssertionError", evalue="question 2 is wrong",
                                   traceback=["...", "assert answers[2] == 'c'", "..."])
    cell = _test_cell("check(answers)\n### BEGIN HIDDEN TESTS\nassert answers[2] == 'c', "
                      "'question 2 is wrong'\n### END HIDDEN TESTS", [error])
    nb = nbformat.v4.new_notebook(cells=[cell])
    nb, _ = feedback.HideHiddenTests().preprocess(nb, {})
    shown = nb.cells[0]
    assert "'c'" not in shown.source and feedback.HIDDEN_NOTE in shown.source
    assert shown.source.startswith("check(answers)")
    assert shown.outputs[0].traceback == ["AssertionError: question 2 is wrong"]


def test_feedback_leaves_cells_without_hidden_tests_alone():
    error = nbformat.v4.new_output("error", ename="AssertionError", evalue="x",
                                   traceback=["tb"])
    nb = nbformat.v4.new_notebook(cells=[_test_cell("assert x", [error])])
    nb, _ = feedback.HideHiddenTests().preprocess(nb, {})
    assert nb.cells[0].source == "assert x" and nb.cells[0].outputs[0].traceback == ["tb"]


def test_status_table_gives_every_submission_a_final_explained_state():
    report = DayReport("01_x", {
        "ann": state.Status("ann", "Ann A", True, True, score=10, max_score=10),
        "ben": state.Status("ben", "Ben B", True, False, reason="x", score=None),
        "cy": state.Status("cy", "Cy C", True, True, score=4, max_score=10, needs_manual=True,
                           flags=["Flagged for review: replaced threading"]),
        "dee": state.Status("dee", "Dee D", False, False, reason="no submission"),
        "eve": state.Status("eve", "Eve E", True, True, score=0, max_score=10,
                            unreadable="01_x.ipynb: NotJSONError: Notebook does not appear"),
        "fay": state.Status("fay", "Fay F", True, True, score=7, max_score=10,
                            deleted_tests={"test_b": "0 points"}, seconds_late=600, late=True),
    }, outcomes={"ben": Outcome("ben", False, 1.0, 1.0, error="autograde: boom")},
        graded=["ann"])
    report.statuses["ben"].reason = "autograde: boom"
    assert [report.statuses[s].state for s in ("ann", "ben", "cy", "dee", "eve", "fay")] == [
        state.GRADED, state.NOT_GRADED, state.FLAGGED, state.MISSING, state.UNREADABLE,
        state.TESTS_MISSING]
    from rich.console import Console

    console = Console(width=200, record=True)
    console.print(table.status_table(report))
    text = console.export_text()
    assert re.search(r"ben\s+│ Ben B\s+│ not graded\s+│\s+│.*autograde: boom", text), text
    assert re.search(r"cy .*flagged for review .*Flagged for review: replaced threading", text)
    assert re.search(r"dee .*missing", text)
    assert re.search(r"eve .*unreadable .* 0 / 10 .*NotJSONError", text)
    assert re.search(r"fay .*tests missing .* 7 / 10 .*test_b \(0 points\); late \(10 min\)",
                     text)
    assert not report.ok  # ben: the grader failed
    del report.statuses["ben"]
    assert report.ok  # unreadable, flagged, missing and deleted tests are final states
    assert "1 graded, 1 flagged for review, 1 tests missing, 1 unreadable" in table.summary(report)


def test_unreadable_submissions_are_told_by_the_parsers_message(tmp_path):
    folder = tmp_path / "sub"
    folder.mkdir()
    (folder / "a.ipynb").write_text("", encoding="utf-8")
    assert unreadable.problems(folder) == "a.ipynb: the file is empty"
    (folder / "a.ipynb").write_text('{"cells": [', encoding="utf-8")
    assert unreadable.problems(folder).startswith("a.ipynb: NotJSONError: ")
    (folder / "a.ipynb").write_text('{"not": "a notebook"}', encoding="utf-8")
    assert re.match(r"a\.ipynb: \w+(Error|Exception)?: ", unreadable.problems(folder))
    nbformat.write(nbformat.v4.new_notebook(), str(folder / "a.ipynb"))
    assert unreadable.problems(folder) == ""


def test_a_grader_failure_is_told_by_its_cause_not_by_nbgraders_summary():
    log = ("[INFO] Autograding x\n[ERROR] There was an error processing assignment\n"
           "Traceback (most recent call last):\n  File ...\n"
           "ModuleNotFoundError: No module named 'autograder'\n")
    error = "nbgrader.converters.base.NbGraderException: Please see the above traceback"
    assert jobs.last_error({"log": log, "error": error}) == (
        "ModuleNotFoundError: No module named 'autograder'")
    assert jobs.last_error({}) == "nbgrader failed without saying why"


def test_a_grader_from_another_copy_of_the_course_is_refused(monkeypatch, tmp_path):
    import autograder
    from autograder.grading.day import canary
    from autograder.grading.sandbox import sandbox

    mine = Path(autograder.__file__).resolve().parent
    monkeypatch.setattr(sandbox, "installed_packages",
                        lambda python, names=(): {"autograder": (tmp_path / "autograder",)})
    with pytest.raises(CourseError) as error:
        canary.check_environment()
    said = str(error.value)
    assert str(mine) in said and str(tmp_path / "autograder") in said
    assert "pip install -e" in said and "\n" not in said
    monkeypatch.setattr(sandbox, "installed_packages",
                        lambda python, names=(): {"autograder": ()})
    with pytest.raises(CourseError, match="cannot import autograder"):
        canary.check_environment()
    monkeypatch.setattr(sandbox, "installed_packages",
                        lambda python, names=(): {"autograder": (mine,)})
    canary.check_environment()  # the same package: no complaint


def test_the_sandbox_offers_the_package_the_kernels_python_imports(tmp_path):
    import autograder
    from autograder.grading.sandbox import sandbox

    found = sandbox.installed_packages(sys.executable)
    assert Path(autograder.__file__).resolve().parent in found["autograder"]
    cmd = sandbox.bwrap_command([sys.executable, "-c", "pass"], cwd=tmp_path,
                                connection_dir=tmp_path)
    for path in found["autograder"]:
        assert str(path) in cmd


def test_the_export_has_a_late_penalty_column_only_when_one_is_configured():
    from traitlets.config import Config

    config = Config()
    assert not export.late_penalty_configured(config)
    config.LateSubmissionPlugin.penalty_method = "zero"
    assert export.late_penalty_configured(config)
    config = Config()
    config.AssignLatePenalties.plugin_class = "my.Plugin"
    assert export.late_penalty_configured(config)


def _failing_test_cell(verdict_headline: str) -> nbformat.NotebookNode:
    message = (f"{verdict_headline}.\n\nT1 waits for lock L held by T2.\n\n"
               "The interleaving that shows it (4 steps, 1 switches between threads):\n"
               "step  thread  line  what happened\n   1  T1        3  acquires L  | with L:\n"
               "   2  T2        4  waits for L    | with L:\n\nFound after 3 executions.")
    error = nbformat.v4.new_output(
        "error", ename="AssertionError",
        evalue="Counter loses updates (a race condition): two threads...\n\n" + message,
        traceback=["\x1b[0;31mAssertionError\x1b[0m: Counter loses updates ..."])
    picture = nbformat.v4.new_output(
        "display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<timeline>"},
        metadata={"autograder": {"failure": {"verdict": "deadlock",
                                             "headline": f"{verdict_headline}."}}})
    cell = _test_cell("result = explore(...)", [error, picture])
    return cell


def test_feedback_heads_a_failure_with_its_verdict_and_puts_the_picture_above_the_table():
    nb = nbformat.v4.new_notebook(cells=[_failing_test_cell("The threads deadlocked")])
    nb, _ = feedback.FailureFeedback().preprocess(nb, {})
    outs = nb.cells[0].outputs
    assert [o.output_type for o in outs] == ["display_data", "error"]
    block = outs[0].data["text/html"]
    assert 'class="failure-headline">The threads deadlocked.</div>' in block
    assert 'class="failure-picture"><img src="data:image/png;base64,iVBORw0KGgo="' in block
    shown = "".join(outs[1].traceback)
    assert "loses updates" not in shown  # the test's own first sentence named another mistake
    assert shown.startswith("T1 waits for lock L") and "step  thread  line" in shown
    rows = [line for line in shown.splitlines() if " | " in line]
    assert len(rows) == 2 and len({row.index(" | ") for row in rows}) == 1, rows  # aligned
    assert shown.endswith("Found after 3 executions.")


@pytest.fixture
def gradebook(tmp_path):
    """A gradebook with lesson 01_x: one notebook, an answer cell and a test cell; student s
    has a submission."""
    from nbgrader.api import Gradebook

    from autograder.grading.day.config import commands_on_path

    commands_on_path()  # nbgrader runs alembic from PATH
    with Gradebook(f"sqlite:///{tmp_path / 'gb.db'}") as gb:
        gb.add_assignment("01_x")
        gb.add_notebook("01_x", "01_x")
        gb.add_solution_cell("answer", "01_x", "01_x")
        gb.add_grade_cell("answer", "01_x", "01_x", max_score=0, cell_type="code")
        gb.add_grade_cell("test_a", "01_x", "01_x", max_score=2, cell_type="code")
        gb.add_student("s")
        gb.add_submission("01_x", "s")
        yield gb


def test_a_grader_failure_is_the_submissions_gradebook_comment(gradebook):
    from autograder.grading.day.pipeline import NOT_GRADED_PREFIX, comment_not_graded

    st = state.Status("s", submitted=True, complete=False, reason="autograde: boom")
    comment_not_graded(gradebook, "01_x", {"s": st})
    (comment,) = gradebook.find_submission_notebook("01_x", "01_x", "s").comments
    assert comment.auto_comment == NOT_GRADED_PREFIX + "autograde: boom"


def test_an_unreadable_submission_is_recorded_with_zero_points(gradebook):
    unreadable.record(gradebook, "01_x", "s", "01_x.ipynb: the file is empty",
                      "2027-01-16 10:00:00.000000 UTC")
    submission = gradebook.find_submission("01_x", "s")
    assert submission.score == 0 and submission.max_score == 2
    assert unreadable.recorded(submission) == "01_x.ipynb: the file is empty"
    assert str(submission.timestamp).startswith("2027-01-16 10:00")
