"""The course's contents manager: a fresh notebook stays unchanged once its kernel starts.

JupyterLab 4, when a notebook's kernel starts, writes the kernel's ``language_info`` (``version``
``3.11.7``, ``mimetype``, ``codemirror_mode``, ...) into the notebook's metadata and marks the
notebook changed unless the metadata already holds exactly that dictionary. Only that marks a
fresh lesson changed (cells' ``trusted`` and the ``kernelspec`` do not): the release notebooks
carry ``{"name": "python"}``, since the patch version of the Python that will run them is not
known when they are made (3.10 to 3.13, each with its own ``version``).

The server knows it: its own Python runs the notebooks' ``python3`` kernel. So this manager, serving
a notebook whose ``language_info`` says no more than the kernel will (no ``version``, and nothing
the kernel would say otherwise) and whose kernel is that one, serves it with the ``language_info``
the kernel will report. The file is not touched; JupyterLab saves that same dictionary, as it would
have anyway. Any other kernel or interpreter: the notebook is served as it is.

The environments select it in ``jupyter_server_config.json``
(``ServerApp.contents_manager_class``): ``jupyter/student``, ``jupyter/instructor`` and
``deploy/jupyter/common``.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager

#: The names under which a kernelspec's first argument is the server's own Python (jupyter_client
#: starts such a kernel with ``sys.executable``).
_SELF = {"python", f"python{sys.version_info[0]}", "python{}.{}".format(*sys.version_info[:2])}


def kernel_language_info() -> dict[str, Any]:
    """The ``language_info`` an IPython kernel on this Python reports."""
    from ipykernel.ipkernel import IPythonKernel

    return dict(IPythonKernel.language_info)


def runs_here(argv: list[str]) -> bool:
    """Whether a kernelspec's command runs the server's own Python."""
    if not argv:
        return False
    first = argv[0]
    if first in _SELF:
        return True
    try:
        return os.path.samefile(first, sys.executable)
    except OSError:
        return False


def completed(metadata: dict[str, Any], kernel_argv: list[str] | None) -> dict[str, Any] | None:
    """The ``language_info`` to serve for a notebook with ``metadata`` whose kernel runs
    ``kernel_argv``, or None to serve the notebook as it is."""
    if kernel_argv is None or not runs_here(kernel_argv):
        return None
    stored = metadata.get("language_info")
    if not isinstance(stored, dict) or "version" in stored:
        return None
    reported = kernel_language_info()
    if any(reported.get(key) != value for key, value in stored.items()):
        return None
    return reported if reported != stored else None


class CourseContentsManager(AsyncLargeFileManager):
    """jupyter_server's default contents manager; a notebook's ``language_info`` completed as its
    kernel will report it (see the module's docstring)."""

    async def get(self, path: str, content: bool = True, type: str | None = None,
                  format: str | None = None, **kwargs: Any) -> dict[str, Any]:
        model = await super().get(path, content=content, type=type, format=format, **kwargs)
        if model.get("type") == "notebook" and model.get("content") is not None:
            try:
                self._complete(model["content"])
            except Exception as error:  # never fail to open a notebook over this
                self.log.debug("language_info of %s left as it is: %s", path, error)
        return model

    def _complete(self, nb: Any) -> None:
        metadata = nb.setdefault("metadata", {})
        name = (metadata.get("kernelspec") or {}).get("name")
        specs = getattr(self.parent, "kernel_spec_manager", None)
        if not name or specs is None:
            return
        info = completed(metadata, specs.get_kernel_spec(name).argv)
        if info is not None:
            metadata["language_info"] = info
