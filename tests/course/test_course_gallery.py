"""The gallery notebook: committed clean, and it runs top to bottom."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
GALLERY = ROOT / "course" / "gallery.ipynb"


def test_committed_gallery_is_clean():
    nb = nbformat.read(GALLERY, as_version=4)
    nbformat.validate(nb)
    assert "nbgrader" not in nb.metadata
    assert "widgets" not in nb.metadata
    for cell in nb.cells:
        assert "nbgrader" not in cell.metadata
        if cell.cell_type == "code":
            assert cell.outputs == [], "outputs must be cleared"
            assert cell.execution_count is None, "execution counts must be cleared"


def test_gallery_executes_top_to_bottom(monkeypatch):
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    # the kernel imports course/ and autograder/ from this checkout
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    monkeypatch.setenv("PYTHONPATH", path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(GALLERY, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(GALLERY.parent)}})
    client.execute()
    kinds = [set(o.get("data", {})) for c in nb.cells if c.cell_type == "code"
             for o in c.outputs]
    assert sum("image/png" in k for k in kinds) >= 8  # the pictures
    widget_outputs = [k for k in kinds if "application/vnd.jupyter.widget-view+json" in k]
    assert len(widget_outputs) >= 4
    # each widget leaves a static picture or board for nbconvert and feedback
    assert all("text/html" in k for k in widget_outputs)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []
