"""Driving a notebook in JupyterLab from Playwright: open, run, read its outputs, save, reopen.

Commands go through JupyterLab's own command registry (``window.jupyterapp``, exposed by the
test server as galata does), the same commands the menus and shortcuts run; what a person sees
is read from the page.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from lab_server import REPO, Lab
from playwright.sync_api import Page

#: Bounds, in milliseconds, of what a person would wait for.
OPEN_TIMEOUT = 60_000  # the notebook open and its kernel idle
RUN_TIMEOUT = 90_000  # a run of cells
UI_TIMEOUT = 20_000  # a widget redraws, a dialog opens
DEFAULT_TIMEOUT = 30_000  # any other action

WIDGET_ERROR = "Error displaying widget"

#: Where a failed test leaves its screenshot, console and the servers' logs (git-ignored).
ARTIFACTS = REPO / "test-artifacts" / "browser"

#: Console messages of JupyterLab itself that say nothing about the course (none known yet).
CONSOLE_NOISE: tuple[re.Pattern[str], ...] = ()


_PANEL = "window.jupyterapp.shell.currentWidget"


def open_lab(page: Page, lab: Lab) -> None:
    """Load JupyterLab in ``page`` (a fresh workspace) and wait until it is ready."""
    workspace = "t" + uuid.uuid4().hex[:10]
    page.goto(lab.url(f"lab/workspaces/{workspace}", reset=""), timeout=OPEN_TIMEOUT)
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.commands"
                           ".hasCommand('docmanager:open')"
                           " && document.querySelector('.jp-Launcher')",
                           timeout=OPEN_TIMEOUT, polling=200)


def open_notebook(page: Page, lab: Lab, path: str) -> None:
    """Open ``path`` (relative to the course root), loading JupyterLab first unless ``page``
    already shows it; wait until the notebook's kernel is idle."""
    if not page.url.startswith(lab.base) or not page.evaluate("() => !!window.jupyterapp"):
        open_lab(page, lab)
    command(page, "docmanager:open", {"path": path}, timeout=OPEN_TIMEOUT)
    page.wait_for_function(
        """(path) => {
            const app = window.jupyterapp;
            const w = app && app.shell.currentWidget;
            return !!(w && w.context && w.context.path === path && w.context.isReady
                      && w.sessionContext && w.sessionContext.session
                      && w.sessionContext.session.kernel
                      && w.sessionContext.session.kernel.status === 'idle');
        }""", arg=path, timeout=OPEN_TIMEOUT, polling=200)


def command(page: Page, name: str, args: dict[str, Any] | None = None,
            timeout: float = UI_TIMEOUT) -> Any:
    """Run a JupyterLab command (awaited in the page) and return what it returns."""
    page.set_default_timeout(timeout)
    try:
        return page.evaluate(
            "async ([name, args]) => { const r = await window.jupyterapp.commands.execute(name,"
            " args); return (r === undefined || typeof r === 'object') ? null : r; }",
            [name, args or {}])
    finally:
        page.set_default_timeout(DEFAULT_TIMEOUT)


def cells(page: Page) -> list[dict[str, Any]]:
    """The notebook's cells as nbformat JSON (source, outputs, metadata)."""
    return page.evaluate(f"() => {_PANEL}.content.model.toJSON().cells")


def first_solution_index(page: Page) -> int:
    """Index of the first exercise's answer cell (an nbgrader ``solution`` cell)."""
    for i, cell in enumerate(cells(page)):
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            return i
    raise AssertionError("the notebook has no exercise (no nbgrader solution cell)")


def index_of(page: Page, needle: str) -> int:
    """Index of the first code cell whose source contains ``needle``."""
    for i, cell in enumerate(cells(page)):
        src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        if cell["cell_type"] == "code" and needle in src:
            return i
    raise AssertionError(f"no code cell contains {needle!r}")


def select(page: Page, index: int) -> None:
    page.evaluate(f"(i) => {{ {_PANEL}.content.activeCellIndex = i; }}", index)


def run_above(page: Page, index: int) -> None:
    """Run every cell above cell ``index`` (Run ▸ Run All Above Selected Cell)."""
    select(page, index)
    command(page, "notebook:run-all-above", timeout=RUN_TIMEOUT)
    wait_idle(page)


def run_cell(page: Page, index: int) -> None:
    """Run cell ``index`` alone (Shift+Enter without moving on)."""
    select(page, index)
    command(page, "notebook:run-cell", timeout=RUN_TIMEOUT)
    wait_idle(page)


def set_source(page: Page, index: int, source: str) -> None:
    """Replace the text of cell ``index``, as typing it would."""
    page.evaluate(f"([i, s]) => {{ {_PANEL}.content.model.cells.get(i).sharedModel"
                  ".setSource(s); }", [index, source])


def wait_idle(page: Page) -> None:
    """Wait until the kernel is idle with nothing queued."""
    page.wait_for_function(
        f"""() => {{
            const w = {_PANEL};
            const k = w.sessionContext.session && w.sessionContext.session.kernel;
            return k && k.status === 'idle'
                && !w.content.widgets.some(c => c.model.type === 'code'
                                                && c.promptNode
                                                && c.promptNode.textContent.includes('*'));
        }}""", timeout=RUN_TIMEOUT, polling=200)


def run_all(page: Page) -> None:
    """Run ▸ Run All Cells, and wait until every code cell has run and the kernel is idle (Run
    All sends the cells one after the other: the kernel is idle between two of them)."""
    command(page, "notebook:run-all-cells", timeout=RUN_TIMEOUT)
    page.wait_for_function(
        f"""() => {{
            const w = {_PANEL};
            const k = w.sessionContext.session && w.sessionContext.session.kernel;
            return k && k.status === 'idle'
                && w.content.model.toJSON().cells.every(
                    c => c.cell_type !== 'code' || c.execution_count !== null);
        }}""", timeout=RUN_TIMEOUT, polling=200)
    wait_idle(page)


def errors_in(cell_list: list[dict[str, Any]], upto: int) -> list[str]:
    """Error outputs of cells ``[0, upto)``, as ``cell i: Name: message``."""
    found = []
    for i, cell in enumerate(cell_list[:upto]):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                found.append(f"cell {i}: {out.get('ename')}: {out.get('evalue')}")
    return found


def unexecuted(cell_list: list[dict[str, Any]], upto: int) -> list[int]:
    """Code cells in ``[0, upto)`` that have not run."""
    return [i for i, c in enumerate(cell_list[:upto])
            if c["cell_type"] == "code" and c.get("execution_count") is None]


def output_node(page: Page, index: int) -> Any:
    """The output area of cell ``index`` (a Playwright locator), scrolled into view (JupyterLab
    renders only the cells near the view)."""
    page.evaluate(f"async (i) => {{ await {_PANEL}.content.scrollToItem(i, 'start'); }}", index)
    return page.locator(".jp-Notebook .jp-Cell").nth(index).locator(".jp-OutputArea")


def save_and_close(page: Page) -> None:
    """Save the notebook, shut its kernel down and close it."""
    command(page, "docmanager:save")
    page.evaluate(f"async () => {{ const w = {_PANEL}; await w.sessionContext.shutdown();"
                  " w.dispose(); }")


def close(page: Page) -> None:
    """Shut the notebook's kernel down and close it, without saving."""
    page.evaluate(f"async () => {{ const w = {_PANEL}; await w.sessionContext.shutdown();"
                  " w.context.model.dirty = false; w.dispose(); }")


class Console:
    """The page's console errors and uncaught exceptions."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.all: list[str] = []

    def on_message(self, msg: object) -> None:
        text = f"[{msg.type}] {msg.text}"  # type: ignore[attr-defined]
        self.all.append(text)
        if msg.type == "error" and not any(  # type: ignore[attr-defined]
                p.search(msg.text) for p in CONSOLE_NOISE):  # type: ignore[attr-defined]
            self.errors.append(msg.text)  # type: ignore[attr-defined]

    def on_page_error(self, err: object) -> None:
        self.all.append(f"[pageerror] {err}")
        self.errors.append(f"uncaught: {err}")


#: Set on a test's node once its call has run: whether it failed.
FAILED = pytest.StashKey[bool]()


def save_failure(page: object, console: Console, name: str) -> None:
    """Keep a failed test's screenshot and console under ``test-artifacts/browser/``."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", name)
    try:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True,  # type: ignore[attr-defined]
                        timeout=10_000)
    except Exception as exc:  # the page may be gone; the console is still worth keeping
        console.all.append(f"[screenshot failed] {exc}")
    (ARTIFACTS / f"{name}.console.txt").write_text("\n".join(console.all), "utf-8")
