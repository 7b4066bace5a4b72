"""What students get back: feedback that keeps the quiz key and hidden tests to itself, needs no
network, and an autograde log without a false alarm per hidden test cell.

Set up by the course's ``nbgrader_config.py``:

- :class:`HideHiddenTests` (a ``GenerateFeedback`` preprocessor) removes the hidden-test regions
  of test cells and trims their error outputs to the error's message, since a traceback quotes
  the failing line of the hidden test (for the quiz: the answer key).
- :class:`FeedbackExporter` renders feedback with the ``feedback_offline`` template: nbgrader's
  feedback page without MathJax, jQuery, require.js or a widget manager from a CDN.
- :class:`FailureFeedback` (a ``GenerateFeedback`` preprocessor) shows a failing test's
  headline from the engine's verdict (a deadlock says deadlock, whatever sentence the test cell
  put first), then the timeline picture of the failing interleaving
  (:mod:`autograder.grading.sandbox.failure_pictures` displayed it in the grading kernel), then the
  rest of the message with its step table; the template wraps long lines. An output holding only
  a failure record (for grading day's class report) is left out.
- :class:`OverwriteCells` is nbgrader's, without the warning "Attribute 'checksum' for cell ...
  has changed!" for a test cell submitted exactly as released (hidden tests stripped): the cell is
  restored from the gradebook all the same.
"""

from __future__ import annotations

import copy
import html
import os

from nbconvert.exporters import HTMLExporter
from nbformat import NotebookNode
from nbgrader import utils
from nbgrader.api import MissingEntry
from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor
from nbgrader.preprocessors import OverwriteCells as _OverwriteCells
from traitlets import List
from traitlets.config import Config

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")
NBGRADER_TEMPLATES = os.path.join(
    os.path.dirname(os.path.abspath(utils.__file__)), "server_extensions", "formgrader", "templates"
)
BOOTSTRAP_CSS = os.path.join(
    os.path.dirname(NBGRADER_TEMPLATES), "static", "node_modules", "bootstrap", "dist", "css"
)
#: What a hidden-test region becomes in feedback.
HIDDEN_NOTE = "# (hidden tests: run at grading, not shown)"


def has_hidden_tests(cell: NotebookNode) -> bool:
    return cell.get("cell_type") == "code" and "BEGIN HIDDEN TESTS" in cell.get("source", "")


def strip_hidden(source: str, note: str | None = None) -> str:
    """The source without its hidden-test regions (each replaced by `note` when given)."""
    out: list[str] = []
    inside = False
    for line in source.split("\n"):
        if "BEGIN HIDDEN TESTS" in line:
            inside = True
            if note is not None:
                out.append(line[: len(line) - len(line.lstrip())] + note)
        elif "END HIDDEN TESTS" in line:
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out)


class HideHiddenTests(NbGraderPreprocessor):
    """Feedback shows a test cell's visible tests and the message of its error, never the hidden
    tests' code (nor a traceback quoting it)."""

    # nbconvert's HTML exporter configures this for every preprocessor (as GetGrades takes it)
    display_data_priority = List(
        ["text/html", "application/pdf", "text/latex", "image/svg+xml", "image/png",
         "image/jpeg", "text/plain"]
    ).tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if has_hidden_tests(cell):
            cell.source = strip_hidden(cell.source, HIDDEN_NOTE)
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error":
                    out["traceback"] = [f"{out.get('ename', 'Error')}: {out.get('evalue', '')}"]
        return cell, resources


def _failure_meta(out: NotebookNode) -> dict | None:
    meta = out.get("metadata", {}).get("autograder", {})
    return meta.get("failure") if isinstance(meta, dict) else None


def _is_picture(out: NotebookNode) -> bool:
    if out.get("output_type") != "display_data":
        return False
    return (_failure_meta(out) is not None
            or out.get("data", {}).get("text/plain") == "<timeline of the failing interleaving>")


def _is_record(out: NotebookNode) -> bool:
    """An output holding only a failure record (for the class report): not shown."""
    meta = out.get("metadata", {}).get("autograder", {})
    return (out.get("output_type") == "display_data" and isinstance(meta, dict)
            and "record" in meta and "failure" not in meta)


def failure_block(headline: str, png: str | None) -> NotebookNode:
    """The headline and the picture, as one HTML output (the feedback page's own classes)."""
    parts = [f'<div class="failure-headline">{html.escape(headline)}</div>'] if headline else []
    if png:
        parts.append('<figure class="failure-picture"><img src="data:image/png;base64,'
                     f'{png}" alt="timeline of the failing interleaving"><figcaption>The '
                     "failing interleaving: what each thread did and held, step by step "
                     "(the table below)</figcaption></figure>")
    return NotebookNode(output_type="display_data", metadata={},
                        data={"text/html": "\n".join(parts)})


#: The step table's header line (autograder.exploration.report.student_table).
TABLE_HEAD = "step  thread"


def align_tables(text: str) -> str:
    """Each step table's `` | `` column (what happened | the source line) at one position."""
    lines = text.split("\n")
    out, block = [], []

    def flush() -> None:
        width = max((len(line.split(" | ", 1)[0].rstrip()) for line in block if " | " in line),
                    default=0)
        for line in block:
            if " | " in line:
                left, right = line.split(" | ", 1)
                line = f"{left.rstrip():<{width}} | {right}"
            out.append(line)
        block.clear()

    inside = False
    for line in lines:
        if line.lstrip().startswith(TABLE_HEAD):
            flush()
            inside = True
            out.append(line)
            continue
        if inside and not line.strip():
            flush()
            inside = False
        (block if inside else out).append(line)
    flush()
    return "\n".join(out)


class FailureFeedback(NbGraderPreprocessor):
    """A failing test: headline from the verdict, then the picture, then the step table."""

    display_data_priority = List(
        ["text/html", "application/pdf", "text/latex", "image/svg+xml", "image/png",
         "image/jpeg", "text/plain"]
    ).tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        outputs = [o for o in cell.get("outputs", []) if not _is_record(o)]
        if cell.get("cell_type") == "code":
            cell.outputs = outputs
        errors = [o for o in outputs if o.get("output_type") == "error"]
        pictures = [o for o in outputs if _is_picture(o)]
        if cell.get("cell_type") != "code" or not errors or not pictures:
            return cell, resources
        error, picture = errors[-1], pictures[-1]
        meta = _failure_meta(picture) or {}
        text = str(error.get("evalue", ""))
        headline = meta.get("headline", "")
        if headline and headline in text:
            # the engine's message from its headline on: the test's own first sentence, which
            # may name another mistake than the one found, goes
            rest = text[text.index(headline) + len(headline):].lstrip("\n")
        else:
            rest, headline = text, headline or ""
        error["traceback"] = [align_tables(rest)]
        block = failure_block(headline, picture.get("data", {}).get("image/png"))
        kept = [o for o in outputs if o is not error and not _is_picture(o)]
        cell.outputs = [*kept, block, error]
        return cell, resources


class FeedbackExporter(HTMLExporter):
    """nbgrader's feedback page, rendered with no resource fetched from a CDN."""

    def __init__(self, config: Config | None = None, **kwargs):
        config = Config(config or {})
        config.FeedbackExporter.template_name = "feedback_offline"
        config.FeedbackExporter.extra_template_basedirs = [TEMPLATES, NBGRADER_TEMPLATES]
        # 'feedback/index.html.j2' (extended) and bootstrap.min.css (inlined), as nbgrader has
        config.FeedbackExporter.extra_template_paths = [NBGRADER_TEMPLATES, BOOTSTRAP_CSS]
        super().__init__(config=config, **kwargs)


class OverwriteCells(_OverwriteCells):
    """nbgrader's ``OverwriteCells``, quiet about test cells submitted as released."""

    _as_released = False

    def preprocess_cell(self, cell, resources, cell_index):
        self._as_released = False
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id is not None and has_hidden_tests_in_db(self, grade_id, cell):
            self._as_released = True
        return super().preprocess_cell(cell, resources, cell_index)

    def report_change(self, name, attr, old, new):
        if attr == "checksum" and self._as_released:
            # the test cell as released (hidden tests stripped): restored silently
            self.log.debug("Cell %s submitted as released; its hidden tests restored", name)
            return
        super().report_change(name, attr, old, new)


def has_hidden_tests_in_db(pre: _OverwriteCells, grade_id: str, cell: NotebookNode) -> bool:
    """True when the gradebook's source of this cell has hidden tests and the submitted cell is
    that source with them stripped, as ``generate_assignment`` released it."""
    if cell.get("cell_type") != "code" or not utils.is_grade(cell):
        return False
    try:
        source = pre.gradebook.find_source_cell(grade_id, pre.notebook_id, pre.assignment_id)
    except MissingEntry:
        return False
    if "BEGIN HIDDEN TESTS" not in source.source:
        return False
    released = copy.deepcopy(cell)
    released.source = source.source
    ClearHiddenTests()._remove_hidden_test_region(released)
    return cell.source == released.source
