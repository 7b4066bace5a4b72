"""Grading day's class report (issue 24), without a kernel or a gradebook: the grading kernel's
failure record (made from a real failing engine result), reading it back as untrusted data, the
normalisation of answer lines, grouping, ordering, escaping, and the page's other sections.
The corpora's classic mistakes are checked in tests/lessons/test_class_report.py, the report of a
real grading day in tests/grading/test_grading_day.py."""

from __future__ import annotations

import copy
import linecache
import random
from types import SimpleNamespace

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from autograder import explore
from autograder.grading.day import state
from autograder.grading.day.report import Exercise, Student, build, render, summary_table
from autograder.grading.day.report import failures as reading
from autograder.grading.day.report.grouping import Key, names_of, normalise
from autograder.grading.sandbox import failure_record

COUNTER = """import threading


class Counter:
    def __init__(self):
        self.value = 0

    def increment(self):
        self.value += 1
"""
RENAMED = """import threading as th


class Counter:
    def __init__(self):
        self._n = 0
        self._guard = th.Lock()

    @property
    def value(self):
        return self._n

    def increment(self):
        self._n += 1   # no lock: the mistake
"""
FIXED = COUNTER.replace("        self.value += 1", "        with self.lock:\n"
                        "            self.value += 1").replace(
    "self.value = 0", "self.value = 0\n        self.lock = threading.Lock()")


def _kernel_record(source: str, cell: int = 7) -> dict:
    """The record the grading kernel makes for a racy answer: the answer compiled as a cell
    file of IPython's, its Counter explored, the failing result's AssertionError."""
    filename = f"/tmp/ipykernel_0/answer{cell}.py"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace: dict = {}
    exec(compile(source, filename, "exec"), namespace)
    counter = namespace["Counter"]
    result = explore(counter, [counter.increment, counter.increment],
                     lambda c: c.value == 2)
    assert not result.ok
    shell = SimpleNamespace(compile=SimpleNamespace(_filename_map={filename: cell}))
    try:
        raise AssertionError(result.message)
    except AssertionError as error:
        return failure_record.of_result(shell, result, error)


@pytest.fixture(scope="module")
def records() -> dict[str, dict]:
    return {"plain": _kernel_record(COUNTER), "renamed": _kernel_record(RENAMED)}


def test_the_kernel_records_the_verdict_and_the_answer_lines_the_race_ran(records):
    record = records["plain"]
    assert record["v"] == 1 and record["verdict"] == "Lost update", record
    assert record["kind"] == "invariant" and record["error"] == "AssertionError"
    assert {"cell": 7, "line": 9, "source": "self.value += 1"} in record["lines"]
    assert record["steps"] > 0


def test_an_error_without_a_result_records_the_traceback_lines_in_other_cells():
    cells = {}
    namespace: dict = {}
    for count, source in ((3, "def boom(x):\n    return 1 / x\n"), (4, "boom(0)\n")):
        filename = f"/tmp/ipykernel_0/cell{count}.py"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        cells[filename] = count
        code = compile(source, filename, "exec")
    exec(compile("def boom(x):\n    return 1 / x\n", "/tmp/ipykernel_0/cell3.py", "exec"),
         namespace)
    shell = SimpleNamespace(compile=SimpleNamespace(_filename_map=cells))
    try:
        exec(code, namespace)  # the failing (test) cell: its own lines are not recorded
    except ZeroDivisionError as error:
        record = failure_record.of_error(shell, error)
    assert record["verdict"] == failure_record.EXCEPTION
    assert record["error"] == "ZeroDivisionError"
    assert record["lines"] == [{"cell": 3, "line": 2, "source": "return 1 / x"}]


def test_lines_are_normalised_so_differently_named_code_has_one_shape():
    plain, renamed = names_of(COUNTER), names_of(RENAMED)
    assert normalise("self.value += 1", plain) == normalise(
        "self._n += 1   # no lock: the mistake", renamed) == "v1.v2 += N"
    assert normalise("self._guard = th.Lock()", renamed) == "v1.v2 = threading.Lock()"
    assert normalise('raise ValueError(f"bad {amount!r}")', names_of("amount = 1")) == \
        "raise ValueError(S)"
    # library methods and builtins stay: a wait is not a notify
    names = names_of("def f(cond):\n    cond.wait()\n    cond.notify_all()\n")
    assert normalise("cond.wait()", names) != normalise("cond.notify_all()", names)
    assert normalise("broken (", names_of("x = (")) == "v1("  # does not parse: still a shape


def _notebook(answer: str, outputs_by_test: dict[str, list], count: int = 7):
    nb = new_notebook()
    meta = {"nbgrader": {"grade_id": "counter", "solution": True, "grade": False,
                         "locked": False, "schema_version": 3}}
    cell = new_code_cell(answer, metadata=meta, execution_count=count)
    nb.cells.append(cell)
    for gid, outputs in outputs_by_test.items():
        test = new_code_cell("# test", metadata={"nbgrader": {
            "grade_id": gid, "grade": True, "solution": False, "locked": True, "points": 1,
            "schema_version": 3}})
        test.outputs = outputs
        nb.cells.append(test)
    return nb


def _failing(record: dict | None, message: str = "Lost update: T1 read...",
             png: str = "iVBORw0KGgo=") -> list:
    outs = [new_output("error", ename="AssertionError", evalue=message, traceback=[])]
    if record is not None:
        outs.append(new_output("display_data", data={"text/plain": "<timeline>",
                                                     "image/png": png},
                               metadata={"autograder": {"failure": {}, "record": record}}))
    return outs


EXERCISES = [Exercise("counter", "lesson", 3.0, ["test_counter", "test_counter_more"])]


def _student(sid: str, answer: str, record: dict | None, passing: bool = False, **kw
             ) -> Student:
    nb = _notebook(answer, {"test_counter": [] if passing else _failing(record),
                            "test_counter_more": []})
    s = Student(sid, scores={"counter": 2.0}, feedback=f"../feedback/{sid}/lesson/lesson.html",
                **kw)
    reading_failures = reading.read(nb, {"counter": ["test_counter", "test_counter_more"]})
    s.failures.update(reading_failures)
    s.answers["counter"] = answer
    return s


def test_the_same_mistake_in_differently_named_code_is_one_group(records):
    class_ = [_student("ann", COUNTER, records["plain"]),
              _student("ben", RENAMED, records["renamed"])]
    report = build("01", EXERCISES, class_, {Key("counter", "Lost update", ("v1.v2 += N",)):
                                             "loses updates"})
    (group,) = report.groups
    assert group.students == ["ann", "ben"] and group.mistake == "loses updates"
    assert group.key == Key("counter", "Lost update", ("v1.v2 += N",))
    assert group.tests == [("test_counter", 2)]


def test_a_record_is_untrusted_data(records):
    good = records["plain"]
    # lines of another cell, or whose text is not the answer's at that line, are dropped
    forged = copy.deepcopy(good)
    forged["lines"] = [{"cell": 99, "line": 9, "source": "self.value += 1"},
                       {"cell": 7, "line": 9, "source": "os.system('rm -rf /')"},
                       {"cell": 7, "line": "9", "source": "self.value += 1"}, "junk"]
    failure = reading.read(_notebook(COUNTER, {"test_counter": _failing(forged)}),
                           {"counter": ["test_counter"]})["counter"]
    assert failure.lines == [] and failure.verdict == "Lost update"
    # a picture that is not plain base64 is not shown
    failure = reading.read(_notebook(COUNTER, {"test_counter": _failing(
        good, png='x" onerror="alert(1)')}), {"counter": ["test_counter"]})["counter"]
    assert failure.png == ""
    # a record of an unknown version, or in a cell that is not a test, is not read
    for record in ({**good, "v": 2}, {"v": 1, "verdict": ["not", "text"]}):
        failure = reading.read(_notebook(COUNTER, {"test_counter": _failing(record)}),
                               {"counter": ["test_counter"]})["counter"]
        assert failure.verdict in (reading.NO_RECORD,), failure
    nb = _notebook(COUNTER, {"test_counter": _failing(None, "plain assertion")})
    nb.cells[0].outputs = _failing(good)[1:]  # the answer cell's display, no error
    assert reading.read(nb, {"counter": ["test_counter"]})["counter"].verdict == \
        reading.NO_RECORD
    # a passing exercise has no failure; an answer cell's own error names it
    assert reading.read(_notebook(COUNTER, {"test_counter": []}), {"counter": ["test_counter"]}
                        ) == {}
    nb = _notebook("raise NotImplementedError()", {"test_counter": _failing(None)})
    nb.cells[0].outputs = [new_output("error", ename="NotImplementedError", evalue="",
                                      traceback=[])]
    assert reading.read(nb, {"counter": ["test_counter"]})["counter"].verdict == \
        reading.NOT_ANSWERED


HOSTILE = '<script>alert("x")</script>'


def _class(records) -> list[Student]:
    hostile = COUNTER.replace("self.value += 1", f"self.value += 1  # {HOSTILE}")
    record = copy.deepcopy(records["plain"])
    record["verdict"] = f"Lost update{HOSTILE}"
    record["lines"] = [{**line, "source": f"self.value += 1  # {HOSTILE}"}
                       if line["line"] == 9 else line for line in record["lines"]]
    return [
        _student("ann", COUNTER, records["plain"], name="Ann Archer"),
        _student("ben", RENAMED, records["renamed"], minutes_late=12.0),
        _student(HOSTILE, hostile, record, name=HOSTILE),
        _student("cid", FIXED, None, passing=True),
        Student("dee", "Dee", state.FLAGGED, "Flagged for review: tampering <b>x</b>"),
        Student("eve", "Eve", state.UNREADABLE, "NotJSONError: <bad>"),
        Student("fay", "Fay", state.MISSING, "no submission"),
        Student("gus", "Gus", state.NOT_GRADED, "autograde: KernelDied"),
    ]


def test_the_page_escapes_everything_a_submission_controls(records):
    page = render(build("01", EXERCISES, _class(records)))
    assert "<script" not in page.lower() and "onerror" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "%3Cscript%3E" in page  # the hostile id in its feedback link, quoted
    assert "&lt;b&gt;x&lt;/b&gt;" in page and "&lt;bad&gt;" in page


def test_the_page_shows_groups_scores_and_every_state(records):
    report = build("01", EXERCISES, _class(records))
    page = render(report)
    assert [g.size for g in report.groups] == sorted((g.size for g in report.groups),
                                                     reverse=True)
    assert report.groups[0].students == ["ann", "ben"]
    assert 'href="../feedback/ann/lesson/lesson.html"' in page
    assert "data:image/png;base64,iVBORw0KGgo=" in page  # the representative's picture
    assert "Score distribution per exercise" in page and page.count("data:image/png") >= 3
    for section in ("Flagged for review (1)", "Unreadable submissions (1)",
                    "Not graded (a grader failure) (1)", "Late (1)",
                    "Missing (no submission) (1)"):
        assert section in page, section
    assert "12 min late" in page and "KernelDied" in page
    assert "http://" not in page and "https://" not in page  # opens offline
    # the flagged student's failures are not grouped; the right answer is in none
    assert all(s not in g.students for g in report.groups for s in ("dee", "cid"))


def test_the_same_submissions_give_the_same_report(records):
    first = render(build("01", EXERCISES, _class(records)))
    shuffled = _class(records)
    random.Random(4).shuffle(shuffled)
    assert render(build("01", EXERCISES, shuffled)) == first


def test_the_terminal_summary_lists_the_groups(records):
    from rich.console import Console

    console = Console(width=160, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(summary_table(build("01", EXERCISES, _class(records))))
    text = console.export_text()
    assert "what the class got wrong" in text and "Lost update" in text
    assert "v1.v2 += N" in text and "ann, ben" in text


def test_a_notebook_round_trip_keeps_the_record(records, tmp_path):
    nb = _notebook(COUNTER, {"test_counter": _failing(records["plain"])})
    nbformat.write(nb, tmp_path / "x.ipynb")
    back = nbformat.read(tmp_path / "x.ipynb", as_version=4)
    failure = reading.read(back, {"counter": ["test_counter"]})["counter"]
    assert [line.source for line in failure.lines] == ["self.value += 1"]


def test_inside_or_outside_a_lock_is_part_of_a_lines_shape():
    """The same lines, checked outside the locks or taken one lock at a time, are two groups."""
    from autograder.grading.day.report.grouping import key_of

    outside = ("def transfer(src, dst, amount):\n"
               "    if src.balance < amount:\n"
               "        raise ValueError('no')\n"
               "    with src.lock:\n"
               "        with dst.lock:\n"
               "            src.balance -= amount\n"
               "            dst.balance += amount\n")
    one_at_a_time = ("def transfer(a, b, n):\n"
                     "    with a.lock:\n"
                     "        if a.balance < n:\n"
                     "            raise ValueError('no')\n"
                     "        a.balance -= n\n"
                     "    with b.lock:\n"
                     "        b.balance += n\n")

    def key(source: str):
        lines = [reading.Line(i, text.strip()) for i, text in
                 enumerate(source.split("\n"), 1) if text.strip() and "def " not in text]
        return key_of(reading.Failure("transfer", "test_transfer", "Wrong result",
                                      lines=lines), source)

    assert key(outside) != key(one_at_a_time)
    assert key(one_at_a_time).lines == (
        "    if v1.v2 < v3:", "        raise ValueError(S)", "    v1.v2 += v3", "    v1.v2 -= v3",
        "with v1.lock:")
    renamed = outside.replace("src", "source").replace("amount", "amt")
    assert key(renamed) == key(outside)


def test_a_failed_check_with_no_answer_line_is_told_apart_by_what_it_returned():
    from autograder.grading.day.report.grouping import key_of

    def failure(message: str) -> reading.Failure:
        return reading.Failure("find_deadlock", "test_find_deadlock", failure_record.FAILED_CHECK,
                               message=message)

    none = key_of(failure("f({'A': 'T1'}) returned None, but ...\nmore"), "")
    empty = key_of(failure("f({'A': 'T1'}) returned [], but ...\nmore"), "")
    assert none != empty and none.test.startswith("test_find_deadlock: f(")
    at = key_of(failure("f(<Thing at 0x7f00aa>) returned None"), "")
    assert at == key_of(failure("f(<Thing at 0x7f11bb>) returned None"), "")
