"""A failing test's interleaving travels from the grading kernel to the grader as data and is
drawn there (autograder.grading.sandbox.trace_data, autograder.grading.plugins.failure_drawings):
the same picture as a student's kernel draws, from data the grader does not trust, and no
matplotlib in the grading kernel."""

from __future__ import annotations

import base64
import copy
import inspect
import json
import math
import random
import sys
import textwrap
from pathlib import Path

import pytest

from autograder import explore
from autograder.base.trace import Trace
from autograder.grading.sandbox import failure_pictures, trace_data
from autograder.grading.sandbox.trace_data import TraceDataError

nbformat = pytest.importorskip("nbformat")
pytest.importorskip("matplotlib")

from autograder.grading.plugins.failure_drawings import draw_failures, picture  # noqa: E402
from course.bridge import failure_picture  # noqa: E402

PROGRAMS = textwrap.dedent('''
    import threading


    class Counter:
        def __init__(self):
            self.value = 0

        def add(self):
            self.value += 1


    class TwoLocks:
        def __init__(self):
            self.a = threading.Lock()
            self.b = threading.Lock()

        def ab(self):
            with self.a:
                with self.b:
                    pass

        def ba(self):
            with self.b:
                with self.a:
                    pass


    class Stack:
        def __init__(self):
            self.items = [1]

        def pop(self):
            if self.items:
                self.items.pop()
            else:
                self.items.pop()  # the other thread emptied it: IndexError


    class Flag:
        def __init__(self):
            self.ready = False

        def wait(self):
            while not self.ready:
                pass

        def nothing(self):
            pass
''')


@pytest.fixture(scope="module")
def programs(tmp_path_factory):
    """The programs, from a file of their own (the engine traces code from files)."""
    folder = tmp_path_factory.mktemp("failure_drawings")
    (folder / "failing_programs.py").write_text(PROGRAMS, encoding="utf-8")
    sys.path.insert(0, str(folder))
    try:
        import failing_programs

        yield failing_programs
    finally:
        sys.path.remove(str(folder))
        sys.modules.pop("failing_programs", None)


@pytest.fixture(scope="module")
def failures(programs):
    """Failing results of three verdicts: a lost update, a deadlock, an exception."""
    p = programs
    found = {
        "invariant": explore(p.Counter, [p.Counter.add, p.Counter.add],
                             lambda c: c.value == 2),
        "deadlock": explore(p.TwoLocks, [p.TwoLocks.ab, p.TwoLocks.ba]),
        "exception": explore(p.Stack, [p.Stack.pop, p.Stack.pop]),
    }
    for verdict, result in found.items():
        assert not result.ok and result.verdict == verdict, (verdict, result.verdict)
    return found


def _sent(result) -> dict:
    """What the grading kernel displays for ``result``, through JSON as over the wire."""
    data, _ = failure_pictures.bundle(result)
    assert trace_data.MIME in data and "image/png" not in data
    return json.loads(json.dumps(data[trace_data.MIME]))


def test_a_trace_goes_through_json_unchanged(failures):
    for result in failures.values():
        trace = failure_picture.shown(result)
        assert isinstance(trace, Trace) and trace.events
        assert trace_data.load(_sent(result)) == trace


def test_the_grader_draws_the_picture_a_students_kernel_draws(failures):
    for verdict, result in failures.items():
        drawn = picture(_sent(result))
        assert drawn is not None, verdict
        assert base64.b64decode(drawn) == failure_picture.picture(result), verdict


def test_a_trace_too_long_to_read_is_not_sent(programs):
    """A spin's trace (thousands of steps) is not drawn, in a student's kernel or by the grader:
    the kernel sends the verdict only."""
    spin = explore(programs.Flag, [programs.Flag.wait, programs.Flag.nothing])
    assert spin.verdict == "spin" and len(spin.trace.events) > failure_picture.MAX_EVENTS
    data, meta = failure_pictures.bundle(spin)
    assert data == {"text/plain": "<spin>"} and meta["autograder"]["failure"]["verdict"] == "spin"


def test_a_cells_trace_is_replaced_by_its_picture_and_junk_by_the_verdict(failures):
    data, meta = failure_pictures.bundle(failures["deadlock"])
    good = nbformat.v4.new_output("display_data", data=copy.deepcopy(data), metadata=meta)
    junk = nbformat.v4.new_output("display_data", data={
        "text/plain": failure_pictures.TEXT, trace_data.MIME: {"v": 1, "trace": "no"}},
        metadata=meta)
    text = nbformat.v4.new_output("stream", text="ok")
    cell = nbformat.v4.new_code_cell("x", outputs=[text, good, junk])
    assert draw_failures(cell) == 1
    assert base64.b64decode(good.data["image/png"]).startswith(b"\x89PNG")
    assert good.data["text/plain"] == failure_pictures.TEXT
    assert junk.data == {"text/plain": "<deadlock>"}
    assert trace_data.MIME not in good.data and cell.outputs[0] == text


def _mutations(value, rng: random.Random):
    """A few hostile replacements of a JSON value."""
    return [rng.choice([None, True, -1, 2**70, 1.5, math.nan, "", "x" * 3000, "$\\frac{",
                        [], [None] * 3, {}, {"v": 1}, [value, value]]) for _ in range(3)]


def _paths(value, here=()):
    yield here
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*here, k))
    elif isinstance(value, list):
        for i, v in enumerate(value[:6]):
            yield from _paths(v, (*here, i))


def _replaced(value, path, new):
    if not path:
        return new
    out = copy.deepcopy(value)
    node = out
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = new
    return out


def test_forged_data_loads_or_is_refused_and_never_breaks_grading(failures):
    """Every field of real data replaced by hostile values (fixed seed): load gives a Trace or
    TraceDataError, nothing else; the grader's picture is a PNG or None, never an exception."""
    rng = random.Random(24)
    tried = refused = drawn = 0
    for result in failures.values():
        sent = _sent(result)
        paths = list(_paths(sent))
        for path in rng.sample(paths, min(len(paths), 40)):
            for new in _mutations(sent, rng):
                forged = _replaced(sent, path, new)
                tried += 1
                try:
                    trace_data.load(forged)
                except TraceDataError:
                    refused += 1
                got = picture(forged)
                assert got is None or base64.b64decode(got).startswith(b"\x89PNG")
                drawn += got is not None
    assert tried > 300 and refused > tried // 3 and drawn > 0, (tried, refused, drawn)


@pytest.mark.parametrize("change, problem", [
    (lambda d: d["trace"]["events"].extend(d["trace"]["events"][:1] * 400), "at most 400"),
    (lambda d: d["trace"]["events"][0].update(thread="T" * 2001), "characters"),
    (lambda d: d["trace"]["events"][0].update(op="read; x"), "op"),
    (lambda d: d["trace"]["events"][0].update(step=True), "whole number"),
    (lambda d: d["trace"]["events"][0].update(time=math.inf), "not a number"),
    (lambda d: d["trace"]["events"][0].update(shell="x"), "unknown fields"),
    (lambda d: d["trace"]["events"][0].pop("op"), "without"),
    (lambda d: d.update(v=2), "version"),
])
def test_what_load_refuses(failures, change, problem):
    sent = _sent(failures["invariant"])
    change(sent)
    with pytest.raises(TraceDataError, match=problem):
        trace_data.load(sent)


def test_math_text_in_a_forged_name_is_drawn_as_text(failures):
    """matplotlib's math text is off while the grader draws: a name that is bad math text (it
    would raise ValueError when parsed) is drawn, as plain characters."""
    sent = _sent(failures["invariant"])
    names = {e["thread"] for e in sent["trace"]["events"]}
    text = json.dumps(sent)
    for name in names:
        text = text.replace(json.dumps(name), json.dumps("$\\frac{" + name))
    forged = json.loads(text)
    assert picture(forged) is not None


# -- in a grading kernel ---------------------------------------------------------------------

pytest.importorskip("nbgrader")


def _notebook(*sources: str):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(inspect.cleandoc(s)) for s in sources]
    return nb


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="bubblewrap runs on Linux only")
def test_a_grading_kernel_sends_the_trace_and_the_grader_draws_it_once(tmp_path: Path,
                                                                       monkeypatch):
    from traitlets.config import Config

    from autograder.grading.plugins import execute
    from autograder.grading.plugins.guarded import GuardedExecute

    monkeypatch.setattr(execute, "MOST_A_NOTEBOOK", 2)
    resend = """
        from IPython.display import display
        from autograder.grading.sandbox.failure_pictures import bundle
        data, meta = bundle(_)
        for _i in range({n}):
            display(data, metadata=meta, raw=True)
        """
    nb = _notebook(
        """
        import course
        from autograder import explore
        class Counter:
            def __init__(self):
                self.value = 0
            def add(self):
                self.value += 1
        explore(Counter, [Counter.add, Counter.add], lambda c: c.value == 2)
        """,
        """
        explore(Counter, [Counter.add, Counter.add], lambda c: c.value == 2).assert_ok()
        """,
        """
        from IPython.display import display
        from autograder.grading.sandbox.trace_data import MIME
        display({"text/plain": "forged", MIME: {"v": 1, "trace": []}}, raw=True)
        """,
        resend.format(n=3),
        resend.format(n=1),
        """
        import sys
        print("matplotlib" in sys.modules)
        """,
    )
    config = Config()
    config.GuardedExecute.kernel_manager_class = (
        "autograder.grading.sandbox.kernel.GradingKernelManager")
    executor = GuardedExecute(config=config, timeout=30)
    (tmp_path / "alice").mkdir()
    nb, _ = executor.preprocess(nb, {"metadata": {"path": str(tmp_path / "alice")}})
    _, failing, forged, three, over, modules = nb.cells
    kinds = [o.output_type for o in failing.outputs]
    # the message, then one picture (the feedback puts the picture above the step table)
    assert kinds == ["error", "display_data"], kinds
    shown = failing.outputs[1]
    assert base64.b64decode(shown.data["image/png"]).startswith(b"\x89PNG")
    assert trace_data.MIME not in shown.data
    assert shown.metadata["autograder"]["failure"]["verdict"] == "invariant"
    assert [o.data for o in forged.outputs] == [{"text/plain": "<failure>"}]
    # one picture a cell, MOST_A_NOTEBOOK (here 2) a notebook; the rest only say their verdict
    assert ["image/png" in o.data for o in three.outputs] == [True, False, False]
    assert [o.data for o in over.outputs] == [{"text/plain": "<invariant>"}]
    assert modules.outputs[0].text.strip() == "False"  # the kernel never imported matplotlib
