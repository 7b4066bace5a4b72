"""autograder.exploration.report's failure callbacks: what ``course`` uses to show the failing
interleaving as a picture before ``Result.assert_ok`` raises."""

from __future__ import annotations

import pytest

from autograder import explore
from autograder.exploration import report


class Counter:
    def __init__(self):
        self.value = 0

    def add(self):
        self.value += 1


def _racy():
    return explore(Counter, [Counter.add, Counter.add], lambda c: c.value == 2)


@pytest.fixture
def callbacks():
    added = []

    def add(callback):
        report.on_failure(callback)
        added.append(callback)

    yield add
    for callback in added:
        report._failure_callbacks.remove(callback)


def test_callbacks_see_the_failing_result_before_the_assertion(callbacks):
    seen = []
    callbacks(lambda result: seen.append((result.ok, result.verdict, len(result.schedule))))
    callbacks(lambda result: 1 / 0)  # a broken callback does not hide the failure
    result = _racy()
    with pytest.raises(AssertionError, match="check of the shared state failed"):
        result.assert_ok()
    assert seen == [(False, "invariant", len(result.schedule))]
    assert seen[0][2] > 0


def test_no_callback_for_a_passing_result(callbacks):
    seen = []
    callbacks(seen.append)
    explore(Counter, [Counter.add], lambda c: c.value == 1).assert_ok()
    assert seen == []


def test_a_callback_is_registered_once(callbacks):
    seen = []
    callbacks(seen.append)
    report.on_failure(seen.append)
    with pytest.raises(AssertionError):
        _racy().assert_ok()
    assert len(seen) == 1


def test_course_shows_the_timeline_png_before_the_assertion_in_a_kernel():
    """In a Jupyter kernel, a failing test cell's outputs are the PNG, then the error whose
    message holds the step-by-step table: what nbgrader's feedback shows."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    v4 = nbformat.v4
    nb = v4.new_notebook(cells=[
        v4.new_code_cell("import course"),
        v4.new_code_cell(
            "from autograder import explore\n"
            "class C:\n"
            "    def __init__(self):\n"
            "        self.value = 0\n"
            "    def add(self):\n"
            "        self.value += 1\n"
            "explore(C, [C.add, C.add], lambda c: c.value == 2).assert_ok()"),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    client = nbclient.NotebookClient(nb, timeout=60, allow_errors=True)
    client.execute()
    outputs = nb.cells[1].outputs
    kinds = [o.output_type for o in outputs]
    assert kinds == ["display_data", "error"], kinds
    assert outputs[0].data["image/png"].startswith("iVBORw0KGgo")  # a PNG, base64
    assert outputs[1].ename == "AssertionError"
    assert "interleaving that shows it" in outputs[1].evalue
