"""The two environments from one install: the student's (``./scripts/lab``) without the
instructor's tools, the instructor's (``./scripts/lab --instructor``) with all of nbgrader."""

from __future__ import annotations

import lab_page as lp
from lab_page import Console
from lab_server import REPO, Lab

LESSONS = sorted(p.name for p in (REPO / "source").iterdir()
                 if p.is_dir() and (p / f"{p.name}.ipynb").exists())
STUDENT_TOOLS = ["Assignment List"]
INSTRUCTOR_TOOLS = ["Assignment List", "Course List", "Formgrader", "Create assignment"]


def open_lab(page: object, lab: Lab) -> None:
    page.goto(lab.url(f"lab/workspaces/env{lab.role}", reset=""),  # type: ignore[attr-defined]
              timeout=lp.OPEN_TIMEOUT)
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => window.jupyterapp && window.jupyterapp.commands.hasCommand("
        "'nbgrader:open-assignment-list')", timeout=lp.OPEN_TIMEOUT)


def nbgrader_menu(page: object) -> list[str]:
    """The visible items of the Nbgrader menu."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()  # type: ignore[attr-defined]
    menu = page.locator(".lm-Menu").last  # type: ignore[attr-defined]
    menu.wait_for(timeout=lp.UI_TIMEOUT)
    items = [t.strip() for t in menu.locator(".lm-Menu-item:visible .lm-Menu-itemLabel")
             .all_inner_texts() if t.strip()]
    page.keyboard.press("Escape")  # type: ignore[attr-defined]
    return items


def sidebar_tabs(page: object) -> list[str]:
    return page.evaluate(  # type: ignore[attr-defined]
        "() => [...document.querySelectorAll('.jp-SideBar .lm-TabBar-tab')]"
        ".map(e => e.title)")


def save_state_default(lab: Lab) -> bool:
    settings = lab.get_json("lab/api/settings/@jupyter-widgets/jupyterlab-manager:plugin")
    return settings["schema"]["properties"]["saveState"]["default"]  # type: ignore[index]


def assignment_list_works(page: object, lab: Lab) -> None:
    lp.command(page, "nbgrader:open-assignment-list")
    panel = page.locator(".lm-DockPanel")  # type: ignore[attr-defined]
    panel.get_by_text("Released assignments").wait_for(timeout=lp.UI_TIMEOUT)
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => !/Loading/.test(document.querySelector('.lm-DockPanel').innerText)",
        timeout=lp.UI_TIMEOUT)
    text = panel.inner_text()
    assert "Error fetching" not in text and "Error" not in text, text[:1500]
    assert "Unwritable directory" not in lab.log()


def test_student_has_no_instructor_tools(student_lab: Lab, page: object,
                                         console: Console) -> None:
    open_lab(page, student_lab)
    assert nbgrader_menu(page) == STUDENT_TOOLS
    assert not any("Create Assignment" in t for t in sidebar_tabs(page))
    for command in ("nbgrader:open-formgrader", "nbgrader:open-create-assignment",
                    "nbgrader:open-course-list"):
        assert not page.evaluate(  # type: ignore[attr-defined]
            "(c) => window.jupyterapp.commands.hasCommand(c)", command), command
    assert student_lab.get("formgrader")[0] == 404  # the server extension is off too
    assignment_list_works(page, student_lab)
    assert save_state_default(student_lab) is True
    assert console.errors == []


def test_instructor_has_every_tool(instructor_lab: Lab, page: object, console: Console) -> None:
    open_lab(page, instructor_lab)
    menu = nbgrader_menu(page)
    assert all(tool in menu for tool in INSTRUCTOR_TOOLS), menu
    assert any("Create Assignment" in t for t in sidebar_tabs(page))
    assignment_list_works(page, instructor_lab)
    lp.command(page, "nbgrader:open-formgrader")
    frame = page.frame_locator(".lm-DockPanel iframe").last  # type: ignore[attr-defined]
    frame.get_by_text("Manage Assignments").first.wait_for(timeout=lp.OPEN_TIMEOUT)
    table = frame.locator("#main-table")
    # The first visit creates the gradebook and reads source/: slow on a busy machine.
    table.get_by_text(LESSONS[-1]).wait_for(timeout=lp.OPEN_TIMEOUT)
    shown = table.inner_text()
    missing = [lesson for lesson in LESSONS if lesson not in shown]
    assert missing == [], f"the Formgrader does not list {missing}"
    assert save_state_default(instructor_lab) is False
    assert console.errors == []
