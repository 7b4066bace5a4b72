"""In the grading kernel: a failing test cell's failure as plain data, for the class report.

:mod:`autograder.grading.sandbox.failure_pictures` calls :func:`of_result` (a failing engine
result) or :func:`of_error` (any other error a test cell ended with) after the cell ran, and
displays the record in the output's metadata (``autograder.record``). The report of grading day
(:mod:`autograder.grading.day.report`) reads it from the autograded notebook, as untrusted data
(the student's code ran in this kernel): it validates every field and escapes every text.

A record (:data:`VERSION` 1) is a small JSON object::

    {"v": 1, "verdict": "Lost update", "kind": "invariant", "error": "AssertionError",
     "lines": [{"cell": 3, "line": 7, "source": "self.value += 1"}, ...], "steps": 12}

``verdict`` names the mistake as the first line of the engine's message does (Lost update,
Deadlock, Spinning, Exception, Starvation, Wrong result, ...), or "Failed check" / "Exception"
for an error that no engine result explains; ``lines`` are the lines of the notebook's other
cells (the student's answer, given code) that the failing interleaving's steps ran, or that the
error's traceback went through, in the order first met; ``cell`` is the execution count of the
cell they belong to. The failing test cell's own lines are never recorded.
"""

from __future__ import annotations

import linecache
from typing import Any

VERSION = 1
#: The most lines one record lists, and the longest source text of one.
MAX_LINES = 40
MAX_SOURCE = 200
#: Verdicts of failures that no engine result explains.
FAILED_CHECK, EXCEPTION = "Failed check", "Exception"


def _cells(shell: Any) -> dict[str, int]:
    """The notebook's cell files (as IPython names them) -> their execution counts."""
    found = getattr(getattr(shell, "compile", None), "_filename_map", None)
    return dict(found) if isinstance(found, dict) else {}


def _failing_cell(cells: dict[str, int], error: BaseException | None) -> str | None:
    """The file of the cell that failed: the first frame of the error's traceback in a cell
    (the frames before it are IPython's)."""
    tb = getattr(error, "__traceback__", None)
    while tb is not None:
        if tb.tb_frame.f_code.co_filename in cells:
            return tb.tb_frame.f_code.co_filename
        tb = tb.tb_next
    return None


def _line(cells: dict[str, int], failing: str | None, filename: str | None, line: Any,
          source: str | None = None) -> dict | None:
    if not filename or filename == failing or filename not in cells or not isinstance(line, int):
        return None
    text = source if source else linecache.getline(filename, line)
    return {"cell": int(cells[filename]), "line": line, "source": text.strip()[:MAX_SOURCE]}


def _unique(lines: list[dict | None]) -> list[dict]:
    out: list[dict] = []
    seen = set()
    for entry in lines:
        if entry is None:
            continue
        key = (entry["cell"], entry["line"])
        if key not in seen:
            seen.add(key)
            out.append(entry)
    return out[:MAX_LINES]


def verdict_of(result: Any) -> str:
    """The mistake's name: the first line of the engine's message, up to its colon."""
    from autograder.exploration import report

    return report.summary(result).split(":", 1)[0].strip()


def of_result(shell: Any, result: Any, error: BaseException | None) -> dict:
    """The record of a failing engine result that made the cell fail with ``error``."""
    from autograder.exploration import report

    cells = _cells(shell)
    failing = _failing_cell(cells, error)
    trace = report.shown_trace(result)
    events = report.student_events(trace) if trace is not None else []
    lines = [_line(cells, failing, e.filename, e.line, e.source) for e in events]
    failure = result.failure
    return {"v": VERSION, "verdict": verdict_of(result),
            "kind": str(getattr(failure, "kind", "") or result.verdict),
            "error": type(error).__name__ if error is not None else "",
            "lines": _unique(lines), "steps": len(events)}


def of_error(shell: Any, error: BaseException) -> dict:
    """The record of an error no engine result explains: a check that failed (an
    ``AssertionError``), or an exception; the lines are the traceback's in other cells."""
    cells = _cells(shell)
    failing = _failing_cell(cells, error)
    lines = []
    tb = error.__traceback__
    while tb is not None:
        lines.append(_line(cells, failing, tb.tb_frame.f_code.co_filename, tb.tb_lineno))
        tb = tb.tb_next
    verdict = FAILED_CHECK if isinstance(error, AssertionError) else EXCEPTION
    return {"v": VERSION, "verdict": verdict, "kind": "", "error": type(error).__name__,
            "lines": _unique(lines), "steps": 0}
