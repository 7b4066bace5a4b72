"""Each wrong answer's failure, read from a student's autograded notebook.

The grading kernel left, in the outputs of each failing test cell, a failure record
(:mod:`autograder.grading.sandbox.failure_record`) and, when the engine found a failing
interleaving, its timeline picture. The student's code ran in that kernel, so all of it is
untrusted: a record is accepted only in a test cell's outputs, only with the expected fields and
types, its texts cut to a bounded length, its lines kept only when they are lines of the
student's answer cell (same text at that line number), and a picture only when it is plain
base64 of bounded size. Nothing read here is ever trusted to be HTML: the report escapes every
text.

An exercise's answer is wrong when one of its test cells ended with an error (nbgrader's own
rule: such a cell scores 0). Its failure is the one of its first failing test cell, in notebook
order (the visible tests come first, and a lesson's visible tests name its classic mistakes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nbformat import NotebookNode

from ...base import lessons, notebooks

#: What is kept of untrusted texts: the verdict, an error's name, a source line, a message.
MAX_NAME = 60
MAX_SOURCE = 200
MAX_MESSAGE = 12_000
MAX_LINES = 40
#: The largest picture accepted (characters of base64).
MAX_PNG = 2_000_000
_BASE64 = re.compile(r"^[A-Za-z0-9+/]+={0,2}$")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
#: What a failure with no readable record is called.
NO_RECORD = "Failed"
#: What the failure of an answer cell that itself ends with an error is called, and of one that
#: raises the release stub's NotImplementedError.
ANSWER_ERROR = "The answer cell raised"
NOT_ANSWERED = "Not answered (NotImplementedError)"


@dataclass(frozen=True)
class Line:
    """One line of the student's answer that the failure involved."""

    number: int
    source: str


@dataclass
class Failure:
    """Why one student's answer to one exercise lost points."""

    exercise: str
    test: str
    verdict: str
    kind: str = ""
    error: str = ""
    lines: list[Line] = field(default_factory=list)
    steps: int = 0
    #: the failing test's message (the engine's explanation with its step table), plain text
    message: str = ""
    #: the timeline picture of the failing interleaving (base64 PNG), or ""
    png: str = ""
    #: every failing test cell of the exercise, in notebook order, and their messages
    tests: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


def _text(value: object, limit: int) -> str:
    if not isinstance(value, str):
        return ""
    return _ANSI.sub("", value)[:limit].replace("\x00", "")


def _record(out: NotebookNode) -> dict | None:
    meta = out.get("metadata", {})
    meta = meta.get("autograder") if isinstance(meta, dict) else None
    record = meta.get("record") if isinstance(meta, dict) else None
    return record if isinstance(record, dict) and record.get("v") == 1 else None


def _png(out: NotebookNode) -> str:
    data = out.get("data", {})
    png = data.get("image/png") if isinstance(data, dict) else None
    if not isinstance(png, str) or len(png) > MAX_PNG:
        return ""
    png = "".join(png.split())
    return png if _BASE64.match(png) else ""


def _lines(record: dict, answer: NotebookNode | None) -> list[Line]:
    """The record's lines that are lines of the answer cell (the same text at that number)."""
    if answer is None:
        return []
    count = answer.get("execution_count")
    source = answer.get("source", "")
    cell_lines = (source if isinstance(source, str) else "".join(source)).split("\n")
    found = []
    entries = record.get("lines")
    for entry in (entries if isinstance(entries, list) else [])[:MAX_LINES]:
        if not isinstance(entry, dict):
            continue
        number, text, cell = entry.get("line"), entry.get("source"), entry.get("cell")
        if not (isinstance(number, int) and isinstance(text, str) and isinstance(cell, int)):
            continue
        if cell != count or not 1 <= number <= len(cell_lines):
            continue
        actual = cell_lines[number - 1].strip()
        if actual and actual[:MAX_SOURCE] == text.strip()[:MAX_SOURCE]:
            found.append(Line(number, actual[:MAX_SOURCE]))
    return found


def _message(outputs: list) -> tuple[str, str]:
    """(error name, error message) of a cell's last error output."""
    errors = [o for o in outputs if isinstance(o, dict) and o.get("output_type") == "error"]
    if not errors:
        return "", ""
    error = errors[-1]
    return (_text(error.get("ename"), MAX_NAME), _text(error.get("evalue"), MAX_MESSAGE))


def _failure(exercise: str, test: str, outputs: list, answer: NotebookNode | None) -> Failure:
    ename, message = _message(outputs)
    record, png = None, ""
    for out in outputs:
        if out.get("output_type") != "display_data":
            continue
        found = _record(out)
        if found is not None:
            record, png = found, _png(out)
    if record is None:
        return Failure(exercise, test, NO_RECORD, error=ename, message=message)
    steps = record.get("steps")
    return Failure(
        exercise, test,
        verdict=_text(record.get("verdict"), MAX_NAME).strip() or NO_RECORD,
        kind=_text(record.get("kind"), MAX_NAME),
        error=_text(record.get("error"), MAX_NAME) or ename,
        lines=_lines(record, answer),
        steps=steps if isinstance(steps, int) and 0 <= steps < 10**7 else 0,
        message=message, png=png)


def exercises_of(nb: NotebookNode) -> dict[str, list[str]]:
    """The exercises of a notebook (answer cells' grade ids, in order) -> their test cells."""
    found: dict[str, list[str]] = {}
    for cell in nb.cells:
        if lessons.kind(cell) == "answer":
            found.setdefault(notebooks.grade_id(cell), [])
    for cell in nb.cells:
        if lessons.kind(cell) == "test":
            gid = notebooks.grade_id(cell)
            exercise = lessons.exercise_of(gid, found)
            if exercise is not None:
                found[exercise].append(gid)
    return found


def read(nb: NotebookNode, exercises: dict[str, list[str]]) -> dict[str, Failure]:
    """Each exercise of ``exercises`` (id -> its test cells' grade ids) that this autograded
    notebook answers wrongly, with its failure."""
    answers: dict[str, NotebookNode] = {}
    failing: dict[str, list[tuple[str, list]]] = {}
    test_of = {test: exercise for exercise, tests in exercises.items() for test in tests}
    for cell in nb.get("cells", []):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        gid = notebooks.grade_id(cell)
        if lessons.kind(cell) == "answer" and gid in exercises:
            answers.setdefault(gid, cell)
        elif lessons.kind(cell) == "test" and gid in test_of:
            outputs = [o for o in cell.get("outputs", []) if isinstance(o, dict)]
            if any(o.get("output_type") == "error" for o in outputs):
                failing.setdefault(test_of[gid], []).append((gid, outputs))
    found = {}
    for exercise in exercises:
        if exercise not in failing:
            continue
        answer = answers.get(exercise)
        ename, message = _message(list(answer.get("outputs", []))) if answer else ("", "")
        if ename:  # a SyntaxError, say: every test fails for it
            verdict = NOT_ANSWERED if ename == "NotImplementedError" else f"{ANSWER_ERROR} {ename}"
            failure = Failure(exercise, failing[exercise][0][0], verdict, error=ename,
                              message=message)
        else:
            (test, outputs), *_ = failing[exercise]
            failure = _failure(exercise, test, outputs, answer)
        failure.tests = [gid for gid, _ in failing[exercise]]
        failure.messages = [_message(outputs)[1] for _, outputs in failing[exercise]]
        found[exercise] = failure
    return found
