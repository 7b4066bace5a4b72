"""nbgrader's ``Execute`` preprocessor, made to survive a cell that never finishes.

What nbgrader 0.9.6 (with nbclient 0.10) does when a cell outlives ``timeout`` seconds, with
``interrupt_on_timeout=True`` (nbgrader's default): it sends the kernel SIGINT and waits up to
``iopub_timeout`` seconds for the cell to end. When the interrupt works (a plain ``while True:
pass``, a ``time.sleep``, a blocked ``Lock.acquire``) the cell gets a ``CellTimeoutError`` output
and grading goes on in the same kernel. When it does not (the cell swallows ``KeyboardInterrupt``
in an inner loop, ignores SIGINT, or is stuck in C code), nbclient raises ``CellTimeoutError``;
when the kernel dies (``os._exit``), ``DeadKernelError``. Either exception aborts the whole
notebook: ``nbgrader autograde`` logs "There was an error processing assignment", deletes the
student's ``autograded/`` folder, leaves every grade of the submission without a score, and exits
non-zero.

:class:`GradingExecute` catches both. The stuck cell gets an error output (so its test, if it is
one, scores zero), the kernel is killed and replaced by a fresh one, the cells before it are
replayed silently in the new kernel, and execution goes on with the next cell. Every code cell
above is replayed, imports and given code included, also one that timed out earlier (on a busy
machine an import can), except test cells, which by convention define nothing later cells need,
and answer cells that hung themselves (the student's hang, already reported in their output).
A failing test's interleaving, which the grading kernel sends as data, is drawn here as soon as
its cell has run (:mod:`autograder.grading.plugins.failure_drawings`). It also waits only
``interrupt_grace`` seconds (not ``iopub_timeout``) for an interrupted cell to
end, gives autograded answer cells their own, shorter ``answer_timeout``, and is used by the
course's ``nbgrader_config.py`` in place of ``Execute`` for ``nbgrader autograde``.
"""

from __future__ import annotations

import sys
from queue import Empty
from time import monotonic

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import ensure_async, run_sync
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Integer, default

from .failure_drawings import MOST_A_NOTEBOOK, draw_failures

#: Error outputs given to a cell that was cut off, by the exception that cut it off.
_ERRORS = {
    "timeout": (
        "CellTimeoutError",
        "the cell did not finish within {timeout} s, not even when interrupted; the kernel was "
        "restarted and the cells above it were run again",
    ),
    "dead": (
        "DeadKernelError",
        "the kernel died while running this cell; it was restarted and the cells above it "
        "were run again",
    ),
}


def is_answer_cell(cell: NotebookNode) -> bool:
    """An nbgrader autograded answer cell (solution, not graded itself)."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("solution")) and not meta.get("grade")


def is_test_cell(cell: NotebookNode) -> bool:
    """An nbgrader autograder-tests cell (graded code, not a solution)."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


def _warm_kernels():
    """:mod:`autograder.grading.day.warm_kernels` when a grading day worker has loaded it (only
    then can kernels have been started ahead), else None: plain nbgrader does not import it, and
    the plug-ins do not import the grading day (tests/test_layers.py)."""
    return sys.modules.get("autograder.grading.day.warm_kernels")


class GradingExecute(Execute):
    """``Execute`` that grades the rest of a notebook after a stuck cell or a dead kernel."""

    answer_timeout = Integer(
        None,
        allow_none=True,
        help="Seconds an autograded answer cell may run (None: the same as ``timeout``). "
        "An answer cell only defines things, so it can be cut off sooner than a test cell.",
    ).tag(config=True)

    interrupt_grace = Integer(
        1,
        help="Seconds an interrupted cell has to end before its kernel is killed and restarted.",
    ).tag(config=True)

    @default("timeout_func")
    def _default_timeout_func(self):
        return self.cell_timeout

    def cell_timeout(self, cell: NotebookNode) -> int | None:
        """The timeout of one cell: ``answer_timeout`` for answer cells, else ``timeout``."""
        if self.answer_timeout is not None and is_answer_cell(cell):
            return self.answer_timeout
        return self.timeout

    def _timeout_of(self, cell: NotebookNode) -> int | None:
        timeout = self.timeout_func(cell) if self.timeout_func is not None else self.timeout
        return timeout if timeout and timeout > 0 else None

    # -- one cell ---------------------------------------------------------------------------

    def preprocess(self, nb, resources=None, km=None):
        self._stuck: set[int] = set()
        self._drawings_left = MOST_A_NOTEBOOK
        self._may_claim = km is None
        self._claimed = None
        try:
            return super().preprocess(nb, resources, km)
        finally:
            if self._claimed is not None:
                _warm_kernels().release(self._claimed)

    def create_kernel_manager(self):
        # The notebook's first kernel: one started ahead, when this is a grading day worker
        # (autograder.grading.day.warm_kernels); a kernel after a restart is started here.
        if getattr(self, "_may_claim", False):
            self._may_claim = False
            warm = _warm_kernels()
            path = (self.resources or {}).get("metadata", {}).get("path")
            self._claimed = warm.claim(self, path) if warm is not None else None
            if self._claimed is not None:
                self.km = self._claimed
                return self.km
        return super().create_kernel_manager()

    def preprocess_cell(self, cell, resources, index):
        self._check_assign_resources(resources)
        iopub_timeout = self.iopub_timeout
        self._timed_out = False
        try:
            cell = self.execute_cell(cell, index, store_history=True)
        except CellTimeoutError:
            self._recover(cell, index, "timeout")
        except DeadKernelError:
            self._recover(cell, index, "dead")
        finally:
            self.iopub_timeout = iopub_timeout
        # a failing test's interleaving, sent as data by the kernel: one a cell, a few a notebook
        self._drawings_left -= draw_failures(cell, min(1, self._drawings_left))
        if self._timed_out and is_answer_cell(cell):
            # A student's answer interrupted in time: graded as it is, never run again by a
            # replay (it would hang again). Any other cell is replayed after a restart.
            self._stuck.add(index)
        return cell, self.resources

    async def _async_handle_timeout(self, timeout, cell=None):
        # nbclient interrupts the kernel here and then waits `iopub_timeout` seconds for the cell
        # to end; an interrupted cell that has not ended within the grace period never will.
        self._timed_out = True
        if self.interrupt_on_timeout:
            self.iopub_timeout = min(self.iopub_timeout, self.interrupt_grace)
        return await super()._async_handle_timeout(timeout, cell)

    # -- recovery ---------------------------------------------------------------------------

    def _recover(self, cell: NotebookNode, index: int, why: str) -> None:
        if is_answer_cell(cell):
            self._stuck.add(index)
        ename, evalue = _ERRORS[why]
        evalue = evalue.format(timeout=self._timeout_of(cell))
        self.log.error("Cell %d: %s: %s", index, ename, evalue)
        cell.outputs.append(
            NotebookNode(
                output_type="error",
                ename=ename,
                evalue=evalue,
                traceback=[f"\x1b[0;31m{ename}\x1b[0m: {evalue}"],
            )
        )
        self._fresh_kernel_and_replay(index)

    async def _async_fresh_kernel(self) -> None:
        km, kc = self.km, self.kc
        try:
            if await ensure_async(km.is_alive()):
                await ensure_async(km.shutdown_kernel(now=True))  # SIGKILL, no grace
            else:
                await ensure_async(km.cleanup_resources())
        except RuntimeError as error:  # "No kernel is running!"
            self.log.warning("While stopping the kernel: %s", error)
        if kc is not None:
            await ensure_async(kc.stop_channels())
        self.kc = None
        self.km = self.create_kernel_manager()
        await self.async_start_new_kernel()
        await self.async_start_new_kernel_client()

    async def _async_run_silently(self, source: str, timeout: int | None) -> bool:
        """Run code in the kernel without recording anything; False if it did not finish."""
        msg_id = await ensure_async(
            self.kc.execute(source, silent=True, store_history=False, stop_on_error=False)
        )
        deadline = None if timeout is None else monotonic() + timeout
        while True:
            remaining = None if deadline is None else max(0.0, deadline - monotonic())
            try:
                msg = await ensure_async(self.kc.shell_channel.get_msg(timeout=remaining))
            except Empty:
                return False
            if msg["parent_header"].get("msg_id") == msg_id:
                return True

    async def _async_fresh_kernel_and_replay(self, index: int) -> None:
        # Each failed attempt adds a cell to _stuck, so this ends after at most `index` retries.
        # (The cell at `index` itself is not replayed: the loop stops before it.)
        while True:
            await self._async_fresh_kernel()
            for i, earlier in enumerate(self.nb.cells[:index]):
                if (
                    i in self._stuck
                    or earlier.cell_type != "code"
                    or not earlier.source.strip()
                    or is_test_cell(earlier)
                ):
                    continue
                if not await self._async_run_silently(earlier.source, self._timeout_of(earlier)):
                    self.log.error("Cell %d did not finish when replayed; going on without it", i)
                    self._stuck.add(i)
                    break
            else:
                return

    _fresh_kernel_and_replay = run_sync(_async_fresh_kernel_and_replay)
