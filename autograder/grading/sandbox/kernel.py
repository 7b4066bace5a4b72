"""The kernel that autograding runs a submission in: guarded and sandboxed.

:class:`GradingKernelManager` is jupyter_client's ``AsyncKernelManager`` with three changes to
the kernel it starts, set in ``nbgrader_config.py``:

* ``guard``: the kernel starts through :data:`autograder.grading.sandbox.guard.BOOT` instead of
  ``ipykernel_launcher``, so the grader is imported, from the installed package, and its
  snapshot taken before any cell runs (:mod:`autograder.grading.sandbox.guard`);
* ``pictures`` (off by default): the kernel starts with ``COURSE_PICTURES=off``, so the lessons'
  pictures and widgets are not drawn (:mod:`course.drawing.not_drawn`); test cells are unchanged;
* ``sandbox``: the kernel runs inside bubblewrap (:mod:`autograder.grading.sandbox.sandbox`),
  talking to nbgrader over Unix sockets (ZeroMQ's ``ipc`` transport) in a private connection folder,
  since the sandbox has no network.

nbgrader's ``Validate`` (self-study) keeps the plain kernel manager.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.utils import run_sync
from traitlets import Bool

from . import guard, sandbox

#: What tells the course's drawing functions that they run in a grading kernel
#: (course.drawing.not_drawn: the grader does not import the course, so a test keeps the two equal).
PICTURES_ENV, PICTURES_OFF = "COURSE_PICTURES", "off"


class GradingKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels start guarded, inside the bubblewrap sandbox."""

    guard = Bool(True, help="Start the kernel with the tamper guard installed.").tag(config=True)
    sandbox = Bool(
        True, help="Run the kernel inside bubblewrap (no source/, gradebook, other submissions, "
        "network; writable /tmp only).",
    ).tag(config=True)

    pictures = Bool(
        False, help="Draw the lessons' pictures and widgets (timelines, wait-for graphs, live "
        "demos, scheduler boards) in the graded notebook. Off by default: each is a one-line "
        "note instead, about a second of CPU less a submission (docs/benchmark.md); test cells, "
        "and the picture of a failing test's interleaving, are the same either way "
        "(course.drawing.not_drawn).",
    ).tag(config=True)

    _private_dir: str | None = None

    async def _async_pre_start_kernel(self, **kw):
        if not self.pictures:
            kw["env"] = {**(kw.get("env") or os.environ), PICTURES_ENV: PICTURES_OFF}
        if self.sandbox:
            sandbox.bwrap_path()  # a clear error when bubblewrap is missing
            self._private_dir = tempfile.mkdtemp(prefix="grading-kernel-")
            self.transport = "ipc"
            self.connection_file = str(Path(self._private_dir) / "kernel.json")
            self.ip = str(Path(self._private_dir) / "ipc")
        return await super()._async_pre_start_kernel(**kw)

    pre_start_kernel = run_sync(_async_pre_start_kernel)

    def format_kernel_cmd(self, extra_arguments=None) -> list[str]:
        cmd = super().format_kernel_cmd(extra_arguments)
        if self.guard:
            cmd = _guarded(cmd)
        if self.sandbox and self._private_dir:
            cwd = (self._launch_args or {}).get("cwd") or Path.cwd()
            cmd = sandbox.bwrap_command(cmd, cwd=cwd, connection_dir=self._private_dir)
        return cmd

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart)
        if not restart and self._private_dir:
            shutil.rmtree(self._private_dir, ignore_errors=True)
            self._private_dir = None

    cleanup_resources = run_sync(_async_cleanup_resources)


def _guarded(cmd: list[str]) -> list[str]:
    """``python -m ipykernel_launcher ARGS`` -> ``python -c BOOT ARGS``."""
    for i in range(len(cmd) - 1):
        if cmd[i] == "-m" and cmd[i + 1] in ("ipykernel_launcher", "ipykernel"):
            return [*cmd[:i], "-c", guard.BOOT, *cmd[i + 2:]]
    raise RuntimeError(
        "the grading kernel must be IPython's (python -m ipykernel_launcher), not "
        + " ".join(cmd)
    )
