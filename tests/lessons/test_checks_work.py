"""The checks themselves: the course's grading configuration, the fixture lesson's broken answers
(a hung cell, a dead kernel, a syntax error, tampering) leaving the rest graded, and each check
catching what it is there to catch."""

from __future__ import annotations

import copy
import shutil
import time

import nbformat
import pytest
from lesson_suite import FIXTURE, REPO

from autograder.grading.base import lessons, notebooks
from autograder.grading.checks import checks, corpus, nbgrade, run
from autograder.grading.plugins.execute import GradingExecute

LESSON = "00_fixture"
SOURCE = FIXTURE.source / LESSON / f"{LESSON}.ipynb"
RELEASE = FIXTURE.release / LESSON / f"{LESSON}.ipynb"


# -- the grading configuration ------------------------------------------------------------------


def test_nbgrader_config_grades_with_grading_execute():
    from nbgrader.converters import Autograde

    config = run.load_config(REPO.config)  # raises if the file does (nbgrader would not)
    autograde = Autograde(config=config)
    names = [p if isinstance(p, str) else p.__name__ for p in autograde.autograde_preprocessors]
    # GuardedExecute: GradingExecute plus the tamper guard (docs/security.md)
    assert "autograder.grading.plugins.guarded.GuardedExecute" in names
    assert "Execute" not in names
    ex = GradingExecute(config=config)
    assert ex.interrupt_on_timeout and ex.raise_on_iopub_timeout
    assert ex.shutdown_kernel == "immediate"
    # A stuck answer costs its timeout, the grace period and a kernel restart; that must leave
    # time to grade the rest of a notebook within the 10 s of a submission.
    assert ex.answer_timeout + ex.interrupt_grace <= 4
    # Any other cell: a backstop that a busy machine never reaches (the engine bounds itself).
    assert ex.timeout >= 30


def test_grading_execute_replays_the_cells_above_a_hung_cell(lesson_runs, tmp_path):
    """Straight from the preprocessor: an interruptible hang, one that ignores the interrupt and a
    dead kernel, in one notebook; the cells after each still see what the cells before defined."""
    v4 = nbformat.v4

    def answer(source):
        cell = v4.new_code_cell(source)
        cell.metadata["nbgrader"] = {"grade_id": f"a{len(cells)}", "solution": True,
                                     "grade": False, "locked": False, "schema_version": 3}
        return cell

    cells = []
    cells += [v4.new_code_cell("x = 41")]
    cells += [answer("import time\ntime.sleep(1000)")]  # interrupted after answer_timeout
    cells += [v4.new_code_cell("x += 1")]
    cells += [answer("while True:\n    try:\n        while True:\n            pass\n"
                     "    except KeyboardInterrupt:\n        pass")]  # ignores the interrupt
    cells += [v4.new_code_cell("assert x == 42, x")]
    cells += [v4.new_code_cell("import os\nos._exit(1)")]  # kills the kernel
    cells += [v4.new_code_cell("assert x == 42, x\nprint('still', x)")]
    nb = v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    t0 = time.perf_counter()
    GradingExecute(config=lesson_runs.config).preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    seconds = time.perf_counter() - t0

    def errors(cell):
        return [o.ename for o in cell.outputs if o.output_type == "error"]

    assert "CellTimeoutError" in errors(nb.cells[1])
    assert errors(nb.cells[3]) == ["CellTimeoutError"]
    assert errors(nb.cells[5]) == ["DeadKernelError"]
    for index in (2, 4, 6):
        assert errors(nb.cells[index]) == [], nb.cells[index].outputs
    assert "still 42" in nb.cells[6].outputs[0].text
    # 3 s + 3 s (+1 s of grace) of timeouts, two kernel restarts, no replay of the slept cell
    assert seconds < 20, seconds


# -- broken answers in the fixture lesson (check 5) ---------------------------------------------

BROKEN = {
    # answer -> what the other exercise (double_tally, after it) must still get
    "swallow_interrupt": "full",
    "swallow_interrupt_nested": "full",
    "ignore_sigint": "full",
    "sleep_forever": "full",
    "kill_kernel": "full",
    "syntax_error": "full",
    "tamper_racy": "full",
    # threading.Lock stays replaced for the cells after it, which breaks the next solution too:
    # graded all the same.
    "tamper_lock": "scored",
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_answer_scores_zero_and_the_rest_is_graded(name, lesson_runs):
    student = f"tally__{name}"
    grading = lesson_runs.graded("fixture", LESSON, student)
    assert grading.first.returncode == 0, grading.first.log[-3000:]
    points = grading.exercises["tally"].points
    tally = grading.score(student, "tally")
    assert tally is not None and tally < points, f"{student}: tally scored {tally}"
    if name != "tamper_racy":
        assert tally == 0, f"{student}: tally scored {tally}"
    other = grading.score(student, "double_tally")
    assert other is not None, f"{student}: double_tally has no score"
    if BROKEN[name] == "full":
        assert other == grading.exercises["double_tally"].points, (
            f"{student}: double_tally scored {other} after the broken tally answer"
        )
    ok, said = grading.timing(student)
    assert ok is not False, said
    assert "There was an error processing assignment" not in grading.first.log


@pytest.mark.parametrize(
    "name, error",
    [("swallow_interrupt_nested", "CellTimeoutError"), ("ignore_sigint", "CellTimeoutError"),
     ("sleep_forever", "CellTimeoutError"), ("kill_kernel", "DeadKernelError"),
     ("syntax_error", "SyntaxError")],
)
def test_the_broken_cell_shows_why(name, error, lesson_runs):
    student = f"tally__{name}"
    grading = lesson_runs.graded("fixture", LESSON, student)
    shown = grading.first.failures(student, LESSON, ["tally"])
    assert any(line.startswith(f"tally: {error}") for line in shown), shown


# -- each check catches what it should ----------------------------------------------------------


def test_dirty_notebooks_are_caught_and_cleaned():
    nb = notebooks.read(SOURCE)
    assert notebooks.dirt(nb) == []
    dirty = copy.deepcopy(nb)
    code = [c for c in dirty.cells if c.cell_type == "code"]
    code[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text="hi\n")]
    code[1].execution_count = 7
    dirty.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {}}
    problems = notebooks.dirt(dirty)
    assert len(problems) == 3, problems
    assert notebooks.dirt(notebooks.clean(dirty)) == []
    assert notebooks.comparable(notebooks.clean(dirty)) == notebooks.comparable(nb)


def _cell(nb, gid):
    return next(c for c in nb.cells if notebooks.grade_id(c) == gid)


@pytest.mark.parametrize(
    "break_it, expected",
    [
        (lambda nb: _cell(nb, "test_double_tally").__setitem__(
            "source", _cell(nb, "test_double_tally").source.replace("### BEGIN HIDDEN TESTS", "")
            .replace("### END HIDDEN TESTS", "")), "no test cell has hidden tests"),
        (lambda nb: _cell(nb, "test_tally").metadata.nbgrader
         .__setitem__("grade_id", "test_nothing"), "test cell of no exercise"),
        (lambda nb: _cell(nb, "test_tally").metadata.nbgrader.__setitem__("points", 0),
         "needs points > 0"),
        (lambda nb: _cell(nb, "tally").__setitem__("source", "class Tally:\n    pass"),
         "no ### BEGIN SOLUTION"),
        (lambda nb: _cell(nb, "test_tally").__setitem__("source", "t = Tally()\nt.value == 0"),
         "ends with a bare expression"),
        (lambda nb: nb.cells.insert(1, copy.deepcopy(_cell(nb, "test_tally"))),
         "already used"),
        (lambda nb: nb.cells.append(nb.cells.pop(nb.cells.index(_cell(nb, "tally")))),
         "comes before the answer cell"),
        (lambda nb: nb.metadata.kernelspec.__setitem__("name", "python2"), "kernelspec"),
    ],
    ids=["no-hidden", "orphan-test", "no-points", "no-markers", "bare-expression",
         "duplicate-id", "test-before-answer", "kernel"],
)
def test_structure_violations_are_caught(break_it, expected):
    nb = notebooks.read(SOURCE)
    assert lessons.structure(nb, LESSON, LESSON) == []
    break_it(nb)
    problems = lessons.structure(nb, LESSON, LESSON)
    assert any(expected in p for p in problems), problems


def test_release_differences_are_caught(lesson_runs, tmp_path):
    generated = lesson_runs.generated("fixture", LESSON).root / "release" / LESSON
    assert checks.release_differences(FIXTURE, LESSON, generated) == []
    shutil.copytree(FIXTURE.root, tmp_path / "course")
    course = lessons.Course(tmp_path / "course", tmp_path / "course" / "source",
                            tmp_path / "course" / "release", tmp_path / "course" / "corpus",
                            FIXTURE.config)
    edited = course.release / LESSON / f"{LESSON}.ipynb"
    nb = notebooks.read(edited)
    _cell(nb, "test_tally").source += "\nassert True"
    _cell(nb, "tally").metadata.nbgrader["points"] = 3
    notebooks.write(nb, edited)
    (course.release / LESSON / "stray.txt").write_text("not from source/\n")
    problems = checks.release_differences(course, LESSON, generated)
    assert any("test_tally): source differs" in p for p in problems), problems
    assert any("tally): nbgrader differs" in p for p in problems), problems
    assert any("stray.txt is not generated" in p for p in problems), problems


def test_a_test_passing_on_the_stub_is_caught(lesson_runs):
    # The source notebook as a "stub": every test passes, which the stub check must report.
    result = run.validate_stub(SOURCE, lesson_runs.config)
    assert len(result.problems()) == 3, result.problems()


def test_a_failing_source_is_caught(lesson_runs):
    result = run.validate_source(RELEASE, lesson_runs.config)
    assert result.problems(), "the release stubs raise NotImplementedError"


def test_corpus_format_errors_are_caught(tmp_path):
    folder = tmp_path / "tally"
    folder.mkdir()
    (folder / "no_header.py").write_text("class Tally:\n    pass\n")
    (folder / "bad_expect.py").write_text("# expect: most\n# why: x\n")
    (folder / "no_why.py").write_text("# expect: zero\nclass Tally:\n    pass\n")
    (folder / "Bad-Name.py").write_text("# expect: full\n")
    (folder / "notes.txt").write_text("")
    (folder / "fine.py").write_text("# expect: partial\n# why: a reason\n#   on two lines\nx = 1\n")
    answers, problems = corpus.load(tmp_path)
    assert [a.name for a in answers] == ["fine"]
    assert answers[0].why == "a reason on two lines"
    assert len(problems) == 5, problems
    missing = checks.corpus_problems(FIXTURE, answers)
    assert "exercise tally: no corpus answer expected full" in missing
    assert "exercise double_tally: no corpus answer expected partial or zero" in missing
    orphan = corpus.Answer("nowhere", "x", "full", "", "")
    assert any("no lesson has an exercise 'nowhere'" in p
               for p in checks.corpus_problems(FIXTURE, [orphan]))


@pytest.mark.parametrize(
    "expect, score, points, met",
    [("full", 3, 3, True), ("full", 2, 3, False), ("partial", 2, 3, True),
     ("partial", 0, 3, False), ("partial", 3, 3, False), ("zero", 0, 3, True),
     ("zero", 1, 3, False), ("full", None, 3, False), ("zero", None, 3, False)],
)
def test_expectations(expect, score, points, met):
    assert corpus.meets(expect, score, points) is met


def test_slow_missing_and_changing_grades_are_caught():
    def grading(scores, seconds):
        return nbgrade.Grading(LESSON, {"s": {LESSON: scores}}, {"s": seconds}, 0.0, 0)

    ex = lessons.Exercise("tally", LESSON, LESSON, 4, [lessons.TestCell(5, "test_tally", 1, True)])
    sub = checks.Submission("s", {LESSON: None}, {"tally": "full"})
    result = checks.LessonGrading(
        LESSON, {"tally": ex}, [sub],
        grading({"test_tally": (1.0, 1.0)}, 10.5), grading({"test_tally": (0.0, 1.0)}, 11.0),
    )
    assert result.unmet(sub) == []
    assert result.seconds("s") == 10.5  # the lesser of the two runs'
    assert result.slow() == ["s: graded in 10.5 s (limit 10 s)"]
    result.first.cpu["s"], result.first.stall["s"] = 3.0, 8.0  # a busy machine: can't tell
    assert result.timing("s")[0] is None and result.slow() == []
    result.first.cpu["s"] = 10.2  # more CPU than the limit: slow, however busy the machine
    assert result.timing("s")[0] is False
    result.first.cpu["s"], result.first.stall["s"] = 3.0, 1.0  # an idle machine: slow
    assert result.timing("s")[0] is False
    assert result.nondeterministic() == ["s: tally scored 1.0 then 0.0"]
    result.first = grading({"test_tally": (None, 1.0)}, 1.0)
    assert result.missing() == ["s: no score for tally"]
    assert result.unmet(sub) == ["s: tally expected full, got no score"]


def test_the_regrade_sample_keeps_the_baseline_and_one_answer_of_each_kind():
    def answer(exercise, name, expect):
        a = corpus.Answer(exercise, name, expect, "why", "")
        return checks.Submission(a.student, {}, {exercise: expect}, a)

    subs = [
        checks.Submission(checks.SOLUTION, {}, {}), checks.Submission(checks.STUB, {}, {}),
        answer("tally", "b_ok", "full"), answer("tally", "a_ok", "full"),
        answer("tally", "racy", "partial"), answer("tally", "zero", "zero"),
        answer("double_tally", "ok", "full"),
    ]
    picked = sorted(s.student for s in checks._regrade_sample(subs))
    assert picked == ["double_tally__ok", "solution", "stub", "tally__a_ok", "tally__racy"]


def test_cli_release_and_clean(tmp_path, capsys):
    from autograder.grading.__main__ import main

    root = tmp_path / "course"
    shutil.copytree(FIXTURE.root / "source", root / "source")
    shutil.copy(REPO.config, root / "nbgrader_config.py")
    assert main(["--root", str(root), "release", LESSON]) == 0
    released = root / "release" / LESSON / f"{LESSON}.ipynb"
    assert notebooks.comparable(notebooks.read(released)) == notebooks.comparable(
        notebooks.read(RELEASE)
    )
    assert notebooks.file_dirt(released) == []
    nb = notebooks.read(released)
    nb.cells[1].execution_count = 3
    notebooks.write(nb, released)
    assert main(["--root", str(root), "clean", str(released)]) == 0
    assert notebooks.file_dirt(released) == []
    assert "1 notebook(s) cleaned" in capsys.readouterr().out
    with pytest.raises(SystemExit, match="no lesson '99_nothing'"):
        main(["--root", str(root), "release", "99_nothing"])
