"""Self-study checks (issue 10): what a student working alone sees is enough.

- Every corpus answer tagged ``# mistake: <name>`` (a classic mistake its lesson's prose warns
  about) loses points on the release notebook's *visible* tests, and a failing visible test's
  message names the mistake (contains ``<name>``). Graded with `autograder.grading.checks.visible`:
  one kernel per lesson, the tagged answers only, no nbgrader run.
- Every exercise with a corpus has at least one tagged mistake.
- Output claims (`autograder.grading.checks.claims`): each code cell tagged ``output-claim`` shows
  what the prose says it shows, in the source notebook as the lesson checks executed it.
- Early feedback: every lesson has a "predict, then run" check before its first graded answer,
  on a code cell whose output is an output claim.
- Short test cells: no visible test cell is longer than ``TEST_CELL_LINES`` lines.
- Hidden-only test cells say so: a test cell whose checks are all hidden prints that they run
  when the notebook is graded, and prints no "ok" a student could read as a pass.
"""

from __future__ import annotations

import dataclasses
import re

import nbformat
import pytest
from lesson_suite import FIXTURE, NOTEBOOK_IDS, NOTEBOOKS, REPO

from autograder.exploration import report
from autograder.grading.base import lessons, notebooks

#: Exercises whose mistakes cannot be caught by visible tests by design: a quiz's answers are
from autograder.grading.checks import claims, corpus, run, visible

#: Exercises whose mistakes cannot be caught by visible tests by design: a quiz's answers are
#: hidden (its visible tests check the form of an answer; lesson 08 gives feedback on each).
NO_VISIBLE_MISTAKE = {"quiz"}


def _tagged():
    answers = visible.wrong_answers(REPO)
    exercises = REPO.exercises()
    return [(exercises[a.exercise].lesson, a) for a in answers]


TAGGED = _tagged()


@pytest.fixture(scope="session")
def visible_grades():
    """lesson -> {student: VisibleGrading}, graded once per lesson, when first asked for."""
    done: dict[str, dict[str, visible.VisibleGrading]] = {}

    def of(lesson: str) -> dict[str, visible.VisibleGrading]:
        if lesson not in done:
            answers = [a for les, a in TAGGED if les == lesson]
            done[lesson] = {g.answer.student: g for g in visible.grade(REPO, answers)}
        return done[lesson]

    return of


@pytest.mark.parametrize(
    "lesson, answer", TAGGED, ids=[f"{les}-{a.student}" for les, a in TAGGED]
)
def test_tagged_mistake_loses_visible_points(lesson, answer, visible_grades):
    graded = visible_grades(lesson)[answer.student]
    assert graded.caught, (
        f"{answer.path}: tagged as the classic mistake {answer.mistake!r}, but it passes every "
        f"visible test of {answer.exercise}: a student checking alone sees 'ok' and loses the "
        f"points only when graded. Make a visible test catch it.\n{graded.problem}")
    assert graded.names_mistake(), (
        f"{answer.path} loses visible points, but no failing visible test names its mistake "
        f"({answer.mistake!r} is not in the messages):\n\n{graded.errors[:3000]}")
    for test in graded.tests:
        problems = message_problems(test.error) if not test.passed else []
        assert not problems, (f"{answer.path}, {test.grade_id}: " + "; ".join(problems)
                              + f"\n\n{test.error}")


#: What a student must never read in a failing test's message: the engine's and the course's
#: own internals (the file model's attributes, a kernel's file, the grader's paths).
INTERNALS = ("self._real", "self.pending", "ipykernel_", "/autograder/", "site-packages",
             "(autograder.", "_TEXT_FILE")
#: How a failing test's summary line starts: the mistake it names.
SUMMARIES = (*report.MISTAKES.values(), "Lost update", "Starvation", "`")


def message_problems(error: str) -> list[str]:
    """What is wrong with a failing visible test's message: no summary line naming the mistake
    first, a step table of more than ``report.MAX_ROWS`` rows, internals shown."""
    problems = [f"it shows {mark!r}" for mark in INTERNALS if mark in error]
    if "The interleaving that shows it" not in error:
        return problems
    first = error.split("\n", 1)[0].split(": ", 1)[-1]
    if not first.startswith(SUMMARIES):
        problems.append(f"its first line {first[:80]!r} names no mistake ({SUMMARIES})")
    table = error.split("what happened\n", 1)[1].split("\n\n", 1)[0].splitlines()
    if len(table) > report.MAX_ROWS:
        problems.append(f"its step table has {len(table)} rows (at most {report.MAX_ROWS})")
    return problems


def test_every_exercise_has_a_tagged_mistake():
    answers, _ = corpus.load(REPO.corpus)
    with_corpus = {a.exercise for a in answers if a.exercise in REPO.exercises()}
    tagged = {a.exercise for _, a in TAGGED}
    missing = sorted(with_corpus - tagged - NO_VISIBLE_MISTAKE)
    assert not missing, (
        "no corpus answer of these exercises is tagged '# mistake: ...' (the lesson's classic "
        f"mistake, which a visible test must catch): {', '.join(missing)}")


def test_the_visible_check_can_fail():
    """The fixture's racy DoubleTally fails only a hidden test: tagged as a mistake, it is
    reported as missed. Its racy Tally fails the visible concurrent test, naming no "deadlock"."""
    tagged = [dataclasses.replace(corpus.parse(FIXTURE.corpus / ex / "racy.py"), mistake=name)
              for ex, name in (("double_tally", "lose"), ("tally", "deadlock"))]
    grades = {g.answer.exercise: g for g in visible.grade(FIXTURE, tagged)}
    assert not grades["double_tally"].caught, grades["double_tally"].tests
    assert grades["tally"].caught and not grades["tally"].names_mistake()
    assert dataclasses.replace(grades["tally"], answer=dataclasses.replace(
        grades["tally"].answer, mistake="value")).names_mistake(), grades["tally"].errors


def test_mistake_header_is_parsed(tmp_path):
    folder = tmp_path / "counter"
    folder.mkdir()
    path = folder / "no_lock.py"
    path.write_text("# expect: partial\n# mistake: loses updates\n# why: no lock\n# why: at all\n"
                    "class Counter: pass\n")
    answer = corpus.parse(path)
    assert (answer.mistake, answer.why) == ("loses updates", "no lock at all")
    path.write_text("# expect: full\n# mistake: none\nclass Counter: pass\n")
    with pytest.raises(corpus.CorpusError, match="makes no mistake"):
        corpus.parse(path)


# -- output claims ------------------------------------------------------------------------------


@pytest.mark.parametrize("key, path", NOTEBOOKS, ids=NOTEBOOK_IDS)
def test_output_claims_hold(key, path, lesson_runs):
    nb = nbformat.read(path, as_version=4)
    malformed = claims.spec_problems(nb)
    assert not malformed, "\n".join(malformed)
    if not claims.count(nb):
        pytest.skip("no output claims in this notebook")
    executed = lesson_runs.executed.get(path)
    if executed is None:  # the source-run check was not selected in this session
        executed = run.validate_source(path, lesson_runs.config).executed
    problems = claims.problems(executed)
    assert not problems, f"{path.name}:\n\n" + "\n\n".join(problems)


def test_checked_claims_are_counted():
    """The number of checked output claims per lesson is the one docs/lessons.md gives."""
    docs = (REPO.root / "docs" / "lessons.md").read_text()
    row = next(line for line in docs.splitlines() if line.strip().startswith("| checked claims"))
    said = [int(cell) for cell in row.strip().strip("|").split("|")[1:]]
    counted = [sum(claims.count(nbformat.read(path, as_version=4))
                   for path in sorted((REPO.source / lesson).glob("*.ipynb")))
               for lesson in sorted(p.name for p in REPO.source.iterdir() if p.is_dir()
                                    and not p.name.startswith("."))]
    assert said == [*counted, sum(counted)], (
        f"docs/lessons.md says {said}, the notebooks hold {counted} (and {sum(counted)} in all)")


def test_output_claims_catch_a_contradiction():
    v4 = nbformat.v4
    cell = v4.new_code_cell("print(result)")
    cell.metadata["tags"] = [claims.TAG]
    cell.metadata[claims.KEY] = {"says": "the engine reports the lock order",
                                 "match": "lock.order", "no_match": "every interleaving passed"}
    cell.outputs = [v4.new_output("stream", name="stdout",
                                  text="OK: every interleaving passed (9 executions).\n")]
    nb = v4.new_notebook(cells=[cell])
    found = claims.problems(nb)
    assert len(found) == 2 and "does not match" in found[0] and "matches" in found[1]
    cell.outputs = [v4.new_output("stream", name="stdout", text="lock-order cycle: a -> b\n")]
    assert claims.problems(nb) == []
    del cell.metadata[claims.KEY]
    assert "go together" in claims.spec_problems(nb)[0]


def test_a_line_sent_in_pieces_is_one_line_to_a_claim():
    """CI once saw ``print("lock_order_cycle says:", cycle)`` (run in an engine thread) arrive as
    two stream outputs, flushed apart on a busy machine; a notebook shows them as one line, and so
    does the claim check (consecutive outputs of one stream are one text, nothing added)."""
    v4 = nbformat.v4
    cell = v4.new_code_cell("print(...)")
    cell.metadata["tags"] = [claims.TAG]
    cell.metadata[claims.KEY] = {"says": "it finds the cycle",
                                 "match": r"^lock_order_cycle says: \['lock\d', 'lock\d'\]$"}
    cell.outputs = [v4.new_output("stream", name="stdout", text="{'task1': []}\n"),
                    v4.new_output("stream", name="stdout", text="lock_order_cycle says:"),
                    v4.new_output("stream", name="stdout", text=" ['lock1', 'lock2']\n")]
    nb = v4.new_notebook(cells=[cell])
    assert claims.problems(nb) == []
    assert claims.output_text(cell).splitlines()[-1] == "lock_order_cycle says: ['lock1', 'lock2']"
    # another stream, or another kind of output, still starts a text of its own
    cell.outputs.insert(2, v4.new_output("stream", name="stderr", text="warning"))
    assert "says:\nwarning\n ['lock1'" in claims.output_text(cell)
    assert len(claims.problems(nb)) == 1


# -- early feedback and short test cells ---------------------------------------------------------

#: The words that open a small ungraded check in a lesson's prose: the student predicts an output,
#: then runs the code cell below, whose output is an output claim (so the answer it shows is
#: checked to be the one the lesson expects, on every run).
PREDICT = "**Predict, then run**"


@pytest.mark.parametrize("key, path", NOTEBOOKS, ids=NOTEBOOK_IDS)
def test_a_prediction_comes_before_the_first_answer(key, path):
    nb = nbformat.read(path, as_version=4)
    answers = [i for i, cell in enumerate(nb.cells) if lessons.kind(cell) == "answer"]
    if key != "repo" or not answers:
        pytest.skip("not a lesson of the course with a graded answer")
    prompts = [i for i, cell in enumerate(nb.cells[:answers[0]])
               if cell.cell_type == "markdown" and PREDICT in cell.source]
    assert prompts, (
        f"{path.name}: no {PREDICT!r} check before the first graded answer (cell {answers[0]}): "
        "a student working alone gets no feedback before then")
    for index in prompts:
        code = next((c for c in nb.cells[index + 1:] if c.cell_type == "code"), None)
        assert code is not None and claims.TAG in code.metadata.get("tags", []), (
            f"{path.name}, cell {index}: the code cell after a {PREDICT!r} prompt must be tagged "
            f"{claims.TAG!r}, with what its output must show")


#: The most lines a visible test cell may have. Validate prints a failing test cell's source, then
#: its error: the student must find the failing call, the scenario and the check without
#: scrolling. JupyterLab on a laptop (a 1080-pixel screen, the default 13-pixel code font, about
#: 17 pixels a line) shows about 50 lines of a cell at once; a test of two or three threads with
#: its checks and messages needs about that many once its helpers (the call that stops an endless
#: loop, the file model, a replayed schedule) live in `autograder.grading.testkit`.
TEST_CELL_LINES = 50


def _release_test_cells():
    found = []
    for path in sorted(REPO.release.glob("*/*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if lessons.kind(cell) == "test":
                found.append((f"{path.parent.name}/{notebooks.grade_id(cell)}", cell.source))
    return found


def test_visible_test_cells_are_short():
    long = [(name, len(source.splitlines())) for name, source in _release_test_cells()
            if len(source.splitlines()) > TEST_CELL_LINES]
    assert not long, (
        f"visible test cells longer than {TEST_CELL_LINES} lines (release/): "
        + ", ".join(f"{name} ({n})" for name, n in long)
        + ". Move their helpers into autograder/grading/testkit.py.")


#: A call that checks a student's answer (the engine's, or a `testkit` helper's).
_CHECK_CALL = re.compile(r"\b(explore|run_once|assert_\w+|round_robin|returns|expect_\w+|"
                         r"session_steps|dead_end)\(")
HIDDEN_NOTE = "hidden tests run when your notebook is graded"


def _hidden_only(source: str) -> bool:
    """True when a release test cell checks nothing itself: its tests were all hidden."""
    code = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith("#"))
    return not _CHECK_CALL.search(code)


def _source_cells_with_hidden_tests():
    found = []
    for path in sorted(REPO.source.glob("*/*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if lessons.kind(cell) == "test" and "### BEGIN HIDDEN TESTS" in cell.source:
                found.append(f"{path.parent.name}/{notebooks.grade_id(cell)}")
    return found


def test_hidden_only_test_cells_say_so():
    with_hidden = set(_source_cells_with_hidden_tests())
    released = dict(_release_test_cells())
    hidden_only = [name for name in sorted(with_hidden) if _hidden_only(released[name])]
    assert len(hidden_only) >= 20, f"the rule found too few hidden-only cells: {hidden_only}"
    wrong = [name for name in hidden_only
             if HIDDEN_NOTE not in released[name] or re.search(r"print\(f?[\"']ok", released[name])]
    assert not wrong, (
        f"test cells whose tests are all hidden must print {HIDDEN_NOTE!r} before the hidden "
        f"block and print 'ok' only inside it (a bare 'ok' reads as a pass): {', '.join(wrong)}")
