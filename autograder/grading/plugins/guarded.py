"""Autograding that checks, around every answer and test, that the tests reach the real grader.

:class:`GuardedExecute` is :class:`~autograder.grading.plugins.execute.GradingExecute` (used by the
course's ``nbgrader_config.py`` for ``nbgrader autograde``) plus the executor's half of the
tamper guard. Its kernels start with the guard installed (:mod:`autograder.grading.sandbox.kernel`).
After each answer and test cell, and before each test cell, it asks the guard, through a
silent request, what was replaced since the last check
(:meth:`autograder.grading.sandbox.guard.TamperGuard.check`, which also puts it all back). When
something was:

* the cell gets a ``Tampering`` error output naming what was replaced, and the lines of the cell
  that the static scan (:mod:`autograder.grading.sandbox.scan`) points at;
* the exercise the cell belongs to (an answer cell's, or a test cell's whose run of the student's
  code did it) is marked: its remaining test cells are not run and get the same error, so they
  score zero whatever stand-in the answer installed. Other exercises are graded as usual against
  the real grader, which the guard has put back.
"""

from __future__ import annotations

import ast
import json
from queue import Empty
from time import monotonic

from nbclient.util import ensure_async, run_sync
from nbformat import NotebookNode
from traitlets import Float

from ..base import lessons, notebooks
from ..sandbox import guard, scan
from .execute import GradingExecute, is_answer_cell, is_test_cell


class GuardError(RuntimeError):
    """The kernel has no tamper guard (the grading config does not start guarded kernels)."""


def tampering_output(text: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename="Tampering", evalue=text,
                        traceback=[f"\x1b[0;31mTampering\x1b[0m: {text}"])


class GuardedExecute(GradingExecute):
    """``GradingExecute`` that checks the grader's integrity around answer and test cells."""

    check_timeout = Float(
        5, help="Seconds the kernel has to answer the guard's check after a cell.",
    ).tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        self._tampered: dict[str, str] = {}  # exercise -> what its answer did
        self._exercises = [notebooks.grade_id(c) for c in nb.cells if is_answer_cell(c)]
        self._guard_seen = False
        return super().preprocess(nb, resources, km)

    def _exercise(self, cell: NotebookNode) -> str | None:
        gid = notebooks.grade_id(cell)
        if is_answer_cell(cell):
            return gid
        if is_test_cell(cell) and gid:
            return lessons.exercise_of(gid, [e for e in self._exercises if e])
        return None

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return super().preprocess_cell(cell, resources, index)
        exercise = self._exercise(cell)
        if not self._guard_seen or is_test_cell(cell):
            # Also catches what the cells replayed after a restart did.
            self._report(cell, self._check(), exercise, before=True)
        if is_test_cell(cell) and exercise in self._tampered:
            cell.outputs = [tampering_output(self._tampered[exercise])]
            return cell, self.resources
        cell, resources = super().preprocess_cell(cell, resources, index)
        if exercise is not None:
            # (what another cell did is found before the next test cell: cheaper, as precise)
            self._report(cell, self._check(), exercise)
        return cell, resources

    def _report(self, cell: NotebookNode, found: list[str], exercise: str | None,
                before: bool = False) -> None:
        """Record what the guard found: after a cell, the cell did it; before a test cell,
        something that ran meanwhile did (replayed cells, a thread the answer left running)."""
        if not found:
            return
        lines = [] if before else [str(f) for f in scan.scan(cell.source)]
        text = ("the grader was tampered with " + ("before this test ran" if before else
                                                   "by this cell")
                + ": " + "; ".join(found)
                + (". Suspicious lines: " + "; ".join(lines) if lines else "")
                + ". The real grader was put back; this exercise scores zero and the submission "
                "is flagged for review.")
        self.log.warning("Tampering detected at cell %s: %s", notebooks.grade_id(cell), text)
        if not before:
            cell.outputs.append(tampering_output(text))
        elif not is_test_cell(cell):
            return
        if exercise and exercise not in self._tampered:
            self._tampered[exercise] = text

    # -- the check --------------------------------------------------------------------------

    async def _async_check(self) -> list[str]:
        """What the guard found replaced (and put back) since the last check."""
        msg_id = await ensure_async(self.kc.execute(
            "", silent=True, store_history=False, stop_on_error=False,
            user_expressions={"guard": guard.CHECK_EXPRESSION},
        ))
        deadline = monotonic() + self.check_timeout
        while True:
            try:
                msg = await ensure_async(self.kc.shell_channel.get_msg(
                    timeout=max(0.0, deadline - monotonic())))
            except Empty:
                return [f"the kernel did not answer the grader's check in {self.check_timeout} s"]
            if msg["parent_header"].get("msg_id") == msg_id:
                break
        result = msg["content"].get("user_expressions", {}).get("guard", {})
        return self._read(result)

    def _read(self, result: dict) -> list[str]:
        if result.get("status") != "ok":
            return ["the grader's check could not run: "
                    + f"{result.get('ename', '?')}: {result.get('evalue', '')}"]
        try:
            reports = ast.literal_eval(result["data"]["text/plain"])
            if len(reports) != 1:
                raise ValueError(f"{len(reports)} guards answered")
            found = json.loads(reports[0])
        except (KeyError, ValueError, SyntaxError, TypeError) as error:
            if not self._guard_seen:
                raise GuardError(
                    "the grading kernel has no tamper guard: nbgrader_config.py must set "
                    "c.GuardedExecute.kernel_manager_class = "
                    "'autograder.grading.sandbox.kernel.GradingKernelManager'") from error
            return [f"the grader's check gave no valid answer ({error})"]
        self._guard_seen = True
        return [str(f) for f in found]

    _check = run_sync(_async_check)

    async def _async_fresh_kernel(self) -> None:
        await super()._async_fresh_kernel()
        self._guard_seen = False
