"""Notebooks as files: read, write, find what must not be committed, strip it, compare two."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import nbformat
from nbformat import NotebookNode


def read(path: str | Path) -> NotebookNode:
    return nbformat.read(str(path), as_version=4)


def write(nb: NotebookNode, path: str | Path) -> None:
    """Write as JupyterLab does (one-space indent, sorted keys, trailing newline)."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))


def nbgrader_meta(cell: NotebookNode) -> dict:
    return dict(cell.get("metadata", {}).get("nbgrader", {}))


def grade_id(cell: NotebookNode) -> str | None:
    return nbgrader_meta(cell).get("grade_id")


def dirt(nb: NotebookNode) -> list[str]:
    """What a committed notebook must not hold: outputs, execution counts, widget state."""
    problems = []
    if "widgets" in nb.get("metadata", {}):
        problems.append("notebook metadata holds saved widget state (metadata.widgets)")
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        where = f"cell {index}" + (f" ({grade_id(cell)})" if grade_id(cell) else "")
        if cell.get("outputs"):
            problems.append(f"{where} has {len(cell.outputs)} output(s)")
        if cell.get("execution_count") is not None:
            problems.append(f"{where} has execution_count {cell.execution_count}")
        if "execution" in cell.get("metadata", {}):
            problems.append(f"{where} has execution timings in its metadata")
    return problems


def file_dirt(path: str | Path) -> list[str]:
    """`dirt` of a file, also catching what nbformat would hide (invalid JSON, old format)."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return [f"not a readable notebook: {error}"]
    if raw.get("nbformat") != 4:
        return [f"nbformat {raw.get('nbformat')}, not 4"]
    return dirt(nbformat.from_dict(raw))


def clean(nb: NotebookNode) -> NotebookNode:
    """A copy without outputs, execution counts, execution timings or widget state."""
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("execution", None)
    return nb


def clean_file(path: str | Path) -> bool:
    """Strip a notebook file in place; True when it changed."""
    nb = read(path)
    if not dirt(nb):
        return False
    write(clean(nb), path)
    return True


def comparable(nb: NotebookNode) -> list[dict]:
    """What `nbgrader generate_assignment` decides about each cell.

    `generate_assignment` is byte-for-byte reproducible (checksums are computed from a cell's
    source and role), so nothing needs normalising away; cell ids, outputs and other metadata
    (what JupyterLab may add on saving) are simply left out of the comparison.
    """
    return [
        {
            "cell_type": cell.cell_type,
            "source": cell.source,
            "nbgrader": nbgrader_meta(cell),
            "locks": {k: cell.metadata[k] for k in ("deletable", "editable") if k in cell.metadata},
        }
        for cell in nb.cells
    ]


def differences(expected: NotebookNode, actual: NotebookNode, limit: int = 5) -> list[str]:
    """Human-readable differences between two notebooks' `comparable` forms."""
    a, b = comparable(expected), comparable(actual)
    problems = []
    if len(a) != len(b):
        problems.append(f"{len(b)} cells, expected {len(a)}")
    for index, (x, y) in enumerate(zip(a, b, strict=False)):
        for key in ("cell_type", "source", "nbgrader", "locks"):
            if x[key] != y[key]:
                problems.append(
                    f"cell {index} ({x['nbgrader'].get('grade_id') or x['cell_type']}): {key} "
                    f"differs:\n  expected {x[key]!r:.300}\n  found    {y[key]!r:.300}"
                )
        if len(problems) >= limit:
            problems.append("...")
            break
    if expected.metadata.get("kernelspec") != actual.metadata.get("kernelspec"):
        problems.append("metadata.kernelspec differs")
    return problems
