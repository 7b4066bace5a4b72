"""The lessons as a student meets them in JupyterLab (the student's environment).

Run All on every release notebook, with no answer written, runs every cell and draws every board
and demo (errors only in the exercises' cells); every release notebook opened, its kernel started,
is not marked changed; then, on lesson 01:
a slider redraws its picture, every click on a board changes what it shows, "Show me" answers
at once, a wrong answer's test shows the step table, Validate reports, and the saved notebook
reopened after its kernel stopped shows its widgets, never a widget error.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import lab_page as lp
import pytest
from lab_page import FAILED, Console, save_failure
from lab_server import REPO, Lab

LESSONS = sorted(p.name for p in (REPO / "release").iterdir()
                 if p.is_dir() and (p / f"{p.name}.ipynb").exists())
LESSON01 = "release/01_race_conditions/01_race_conditions.ipynb"


def notebook_path(lesson: str) -> str:
    return f"release/{lesson}/{lesson}.ipynb"


def assert_clean(page: object, console: Console, upto: int, what: str) -> None:
    cells = lp.cells(page)
    assert lp.unexecuted(cells, upto) == [], f"{what}: cells that did not run"
    assert lp.errors_in(cells, upto) == [], f"{what}: error outputs"
    shown = page.locator(".jp-Notebook").inner_text()  # type: ignore[attr-defined]
    assert lp.WIDGET_ERROR not in shown, f"{what}: a widget failed to display"
    assert console.errors == [], f"{what}: console errors"


@pytest.fixture(scope="module")
def student_page(student_lab: Lab, browser: object) -> Iterator[tuple[object, Console]]:
    """One JupyterLab page for the lessons (loading JupyterLab once), its console recorded."""
    console = Console()
    context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    context.set_default_timeout(lp.DEFAULT_TIMEOUT)
    page = context.new_page()
    page.on("console", console.on_message)
    page.on("pageerror", console.on_page_error)
    lp.open_lab(page, student_lab)
    try:
        yield page, console
    finally:
        context.close()


#: Per release notebook, the code cells that show a widget (a board, a demo, a board's "Open the
#: board" button) when every cell runs with no answer written (counted by running each notebook
#: with nbclient, errors allowed).
WIDGET_CELLS = {"01_race_conditions": 3, "02_rlock": 2, "03_semaphore": 2, "04_event": 2,
                "05_deadlock": 2, "06_preventing_deadlocks": 2, "07_file_writer": 2,
                "08_best_practices": 1, "09_beyond": 3, "10_puzzles": 6}
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def widget_cells(cell_list: list[dict]) -> list[int]:
    """The code cells whose outputs show a widget."""
    return [i for i, c in enumerate(cell_list) if c["cell_type"] == "code"
            and any(WIDGET_MIME in o.get("data", {}) for o in c.get("outputs", []))]


def test_every_lesson_counts_its_widgets() -> None:
    assert sorted(WIDGET_CELLS) == LESSONS


@pytest.mark.parametrize("lesson", LESSONS)
def test_run_all_draws_every_board(student_lab: Lab, student_page: tuple[object, Console],
                                   lesson: str, request: pytest.FixtureRequest) -> None:
    """Run ▸ Run All Cells on the release notebook, no answer written: every cell runs (an
    unanswered exercise and its failing tests carry the `raises-exception` tag, so Run All goes
    on past them), only those cells show errors, and every board and demo is drawn."""
    page, console = student_page
    console.errors.clear()
    lp.open_notebook(page, student_lab, notebook_path(lesson))
    try:
        lp.run_all(page)
        cells = lp.cells(page)
        assert lp.unexecuted(cells, len(cells)) == [], f"{lesson}: cells Run All did not run"
        allowed = {i for i, c in enumerate(cells)
                   if "raises-exception" in c.get("metadata", {}).get("tags", [])}
        errors = [e for e in lp.errors_in(cells, len(cells))
                  if int(e.split(":", 1)[0].split()[1]) not in allowed]
        assert errors == [], f"{lesson}: errors outside the exercises' cells"
        drawn = widget_cells(cells)
        assert len(drawn) == WIDGET_CELLS[lesson], f"{lesson}: widgets drawn in cells {drawn}"
        shown = page.locator(".jp-Notebook").inner_text()  # type: ignore[attr-defined]
        assert lp.WIDGET_ERROR not in shown, f"{lesson}: a widget failed to display"
        assert console.errors == [], f"{lesson}: console errors"
    except BaseException:
        save_failure(page, console, request.node.name)
        raise
    finally:
        lp.close(page)


@pytest.mark.parametrize("lesson", LESSONS)
def test_opening_changes_nothing(student_lab: Lab, student_page: tuple[object, Console],
                                 lesson: str, request: pytest.FixtureRequest) -> None:
    """The release notebook opened and its kernel started, nothing edited: JupyterLab does not
    mark it changed (its tab shows no dot), so closing it asks nothing. The kernel's
    ``language_info`` is what JupyterLab writes on start; the course's contents manager serves
    the notebook with it already (course/contents.py)."""
    page, console = student_page
    console.errors.clear()
    path = notebook_path(lesson)
    lp.open_notebook(page, student_lab, path)
    try:
        # the kernel's info has reached the notebook: JupyterLab has written what it writes
        page.wait_for_function(  # type: ignore[attr-defined]
            f"() => !!{lp._PANEL}.context.model.getMetadata('language_info').version",
            timeout=lp.UI_TIMEOUT, polling=200)
        page.wait_for_timeout(500)  # type: ignore[attr-defined]
        state = page.evaluate(  # type: ignore[attr-defined]
            f"""() => {{ const w = {lp._PANEL};
                return {{dirty: w.context.model.dirty,
                         tab: w.title.className.includes('jp-mod-dirty')}}; }}""")
        assert state == {"dirty": False, "tab": False}, (
            f"{lesson}: opening the notebook and starting its kernel marked it changed")
        assert console.errors == [], f"{lesson}: console errors"
    except BaseException:
        save_failure(page, console, request.node.name)
        raise
    finally:
        lp.close(page)


# ---- lesson 01, played with: one page for the module, the notebook run once -------------------
@pytest.fixture(scope="module")
def lesson01(student_lab: Lab, student_page: tuple[object, Console]
             ) -> tuple[object, Console]:
    """Lesson 01 open in the lessons' page, run to its first exercise."""
    page, console = student_page
    console.errors.clear()
    lp.open_notebook(page, student_lab, LESSON01)
    lp.run_above(page, lp.first_solution_index(page))
    return page, console


@pytest.fixture
def l01(lesson01: tuple[object, Console], request: pytest.FixtureRequest
        ) -> Iterator[tuple[object, Console]]:
    """Lesson 01's page; a screenshot when the test fails."""
    yield lesson01
    if request.node.stash.get(FAILED, False):
        save_failure(*lesson01, request.node.name)


def board_text(output: object) -> str:
    """What a board shows, its step counter left out."""
    text = output.inner_text()  # type: ignore[attr-defined]
    return re.sub(r"\b([Ss])tep \d+\b", r"\1tep n", text)


def test_slider_redraws_the_picture(l01: tuple[object, Console]) -> None:
    page, console = l01
    out = lp.output_node(page, lp.index_of(page, "demo(counter_run"))
    image = out.locator("img").first
    before = image.get_attribute("src")
    # the run's result (the HTML that counts increments: the picture and the reopening hint
    # below the demo are HTML too)
    result = out.locator(".widget-html").filter(has_text=re.compile(r"\d,000")).last
    status = result.inner_text()
    handle = out.locator(".widget-slider .noUi-handle").first
    handle.focus()
    page.keyboard.press("ArrowRight")  # type: ignore[attr-defined]
    # The picture is redrawn as a new <img> (the demo's HTML is replaced): look it up again.
    deadline = time.monotonic() + lp.UI_TIMEOUT / 1000
    while out.locator("img").first.get_attribute("src") == before:
        assert time.monotonic() < deadline, "moving the slider did not redraw the picture"
        time.sleep(0.1)
    assert out.locator(".widget-readout").first.inner_text() == "3"
    assert result.inner_text() != status
    assert "3,000" in result.inner_text()  # 3 threads x 1,000
    assert console.errors == []


def test_every_click_on_a_board_shows_its_effect(l01: tuple[object, Console]) -> None:
    page, console = l01
    out = lp.output_node(page, lp.index_of(page, "locked_board = scheduler"))
    step_a = out.get_by_role("button", name="▶ A", exact=True)
    clicks = 0
    shown = board_text(out)
    while step_a.is_enabled():
        step_a.click()
        clicks += 1
        expect_text(out, f"Just now (step {clicks})")  # the board has redrawn
        now = board_text(out)
        assert now != shown, f"click {clicks} on A changed nothing but the step number"
        shown = now
        assert clicks < 20, "A never finished"
    assert clicks >= 3
    assert "finished" in out.inner_text()
    assert console.errors == []


def test_skip_goes_to_the_next_lock_operation(l01: tuple[object, Console]) -> None:
    page, _ = l01
    out = lp.output_node(page, lp.index_of(page, "locked_board = scheduler"))
    out.get_by_role("button", name="Reset").click()
    skip_b = out.get_by_role("button", name="▶▶ B", exact=True)
    skip_b.click()
    expect_text(out, "acquires lock")


def test_show_me_says_at_once_that_no_schedule_exists(l01: tuple[object, Console]) -> None:
    page, _ = l01
    out = lp.output_node(page, lp.index_of(page, "locked_board = scheduler"))
    started = time.monotonic()
    out.get_by_role("button", name="Show me").click()
    expect_text(out, "No schedule exists")
    assert time.monotonic() - started < 3.0
    assert "budget" not in out.inner_text()


def test_show_me_replays_the_lost_update(l01: tuple[object, Console]) -> None:
    page, _ = l01
    out = lp.output_node(page, lp.index_of(page, "lost_board = scheduler"))
    out.get_by_role("button", name="Show me").click()
    expect_text(out, "update was lost")


def test_a_wrong_answer_fails_with_the_step_table(l01: tuple[object, Console]) -> None:
    page, _ = l01
    answer = lp.first_solution_index(page)
    lp.set_source(page, answer, WRONG_COUNTER)
    lp.run_cell(page, answer)
    test = lp.index_of(page, "# Two threads at once: every interleaving")
    lp.run_cell(page, test)
    errors = lp.errors_in(lp.cells(page), test + 1)
    assert any(e.startswith(f"cell {test}: AssertionError") for e in errors), errors
    shown = lp.output_node(page, test).inner_text()
    assert re.search(r"step\s+thread\s+line\s+what happened", shown), shown[:2000]
    assert "reads self.value" in shown or "reads" in shown


def test_validate_reports(l01: tuple[object, Console]) -> None:
    page, _ = l01
    lp.command(page, "docmanager:save")
    page.locator(".jp-Toolbar-item", has_text="Validate").first.click()  # type: ignore[attr-defined]
    dialog = page.locator(".jp-Dialog")  # type: ignore[attr-defined]
    dialog.wait_for(timeout=lp.RUN_TIMEOUT)
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => /fail|error|passed/i.test(document.querySelector('.jp-Dialog').innerText)"
        " && !/validating/i.test(document.querySelector('.jp-Dialog-header').innerText)",
        timeout=lp.RUN_TIMEOUT)
    text = dialog.inner_text()
    assert "error running the validate command" not in text, text[:3000]
    assert re.search(r"following cells? failed", text), text[:3000]
    assert "Counter" in text and "Error" in text, text[:3000]
    dialog.get_by_role("button").last.click()


def test_reopened_notebook_shows_its_widgets(l01: tuple[object, Console], student_lab: Lab,
                                           browser: object) -> None:
    page, _ = l01
    lp.save_and_close(page)
    console = Console()
    context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    try:
        again = context.new_page()
        again.on("console", console.on_message)
        again.on("pageerror", console.on_page_error)
        lp.open_notebook(again, student_lab, LESSON01)
        board = lp.output_node(again, lp.index_of(again, "locked_board = scheduler"))
        expect_text(board, "Shared state")
        expect_text(board, "run this cell again")  # how to bring it back, in one line
        demo = lp.output_node(again, lp.index_of(again, "demo(counter_run"))
        demo.locator("img").first.wait_for(timeout=lp.UI_TIMEOUT)
        expect_text(demo, "run this cell again")
        broken = demo.locator("img").first.evaluate("(img) => img.naturalWidth === 0")
        assert not broken, "the demo's picture is a broken link"
        assert lp.WIDGET_ERROR not in again.locator(".jp-Notebook").inner_text()
        assert console.errors == []
    except BaseException:
        save_failure(again, console, "reopened_notebook")
        raise
    finally:
        context.close()


def expect_text(locator: object, text: str) -> None:
    """Wait (bounded) until ``locator`` shows ``text``."""
    deadline = time.monotonic() + lp.UI_TIMEOUT / 1000
    while text not in locator.inner_text():  # type: ignore[attr-defined]
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} not shown; shown:\n"
                                 f"{locator.inner_text()[:2000]}")  # type: ignore[attr-defined]
        time.sleep(0.1)


WRONG_COUNTER = '''\
class Counter:
    def __init__(self):
        self.value = 0

    def increment(self):
        self.value += 1
'''

