"""Browser tests: Playwright driving Debian's chromium against JupyterLab servers of the course.

One server per environment (student, instructor), started on first use and stopped at the end;
one browser for the session, a new context per test. A test that fails leaves a screenshot and
its page's console under ``test-artifacts/browser/`` (git-ignored; CI keeps it as an artifact).
The whole suite has a deadline (``BROWSER_SUITE_DEADLINE`` seconds, 900 by default): past it the
servers are stopped and the tests that remain fail at once, so nothing waits forever.
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from lab_page import ARTIFACTS, FAILED, Console, save_failure  # noqa: E402
from lab_server import Lab, copy_course  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
DEADLINE = float(os.environ.get("BROWSER_SUITE_DEADLINE", "900"))


class Watchdog:
    """Stops the servers once the suite's deadline passes; later tests fail at once."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.started = time.monotonic()
        self.expired = False
        self.labs: list[Lab] = []
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def _expire(self) -> None:
        self.expired = True
        for lab in self.labs:
            lab.stop()

    def cancel(self) -> None:
        self._timer.cancel()


_WATCHDOG: Watchdog | None = None


def _watchdog() -> Watchdog:
    global _WATCHDOG
    if _WATCHDOG is None:
        _WATCHDOG = Watchdog(DEADLINE)
    return _WATCHDOG


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.stash[FAILED] = report.failed


def pytest_runtest_setup(item: pytest.Item) -> None:
    if "browser" in item.keywords and _WATCHDOG is not None and _WATCHDOG.expired:
        pytest.fail(f"the browser suite passed its deadline of {DEADLINE:.0f} s")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives JupyterLab in headless chromium")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).resolve().is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        message = (f"no chromium at {CHROMIUM}: `apt-get install chromium` (./scripts/test "
                   "installs it) or set CHROMIUM=/path/to/chromium")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


# Package scope: Playwright's sync API keeps an event loop running in the main thread while it
# is open, and later tests in the same session (tests/hub) need asyncio.run.
@pytest.fixture(scope="package")
def browser(chromium_path: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    watchdog = _watchdog()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, headless=True, args=LAUNCH_ARGS,
                              timeout=60_000)
        try:
            yield b
        finally:
            b.close()
    watchdog.cancel()


def _start_lab(role: str, tmp_path_factory: pytest.TempPathFactory) -> Lab:
    root = copy_course(tmp_path_factory.mktemp(f"course-{role}"))
    lab = Lab(role=role, root=root, home=tmp_path_factory.mktemp(f"home-{role}"))
    _watchdog().labs.append(lab)
    return lab.start()


@pytest.fixture(scope="session")
def student_lab(tmp_path_factory: pytest.TempPathFactory,
                request: pytest.FixtureRequest) -> Iterator[Lab]:
    """The student's JupyterLab (``./scripts/lab``)."""
    lab = _start_lab("student", tmp_path_factory)
    try:
        yield lab
    finally:
        lab.stop()
        keep_server_log(lab, request)


@pytest.fixture(scope="session")
def instructor_lab(tmp_path_factory: pytest.TempPathFactory,
                   request: pytest.FixtureRequest) -> Iterator[Lab]:
    """The instructor's JupyterLab (``./scripts/lab --instructor``)."""
    lab = _start_lab("instructor", tmp_path_factory)
    try:
        yield lab
    finally:
        lab.stop()
        keep_server_log(lab, request)


@pytest.fixture
def console() -> Console:
    return Console()


@pytest.fixture
def page(browser: object, console: Console, request: pytest.FixtureRequest) -> Iterator[object]:
    """A fresh page (its own context) whose console is recorded; a screenshot if the test fails."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    context.set_default_timeout(30_000)
    pg = context.new_page()
    pg.on("console", console.on_message)
    pg.on("pageerror", console.on_page_error)
    try:
        yield pg
    finally:
        if request.node.stash.get(FAILED, False):
            save_failure(pg, console, request.node.name)
        context.close()


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _WATCHDOG is not None:
        _WATCHDOG.cancel()


def keep_server_log(lab: Lab, request: pytest.FixtureRequest) -> None:
    """Copy a server's log next to the screenshots when a test of the session failed."""
    if not request.session.testsfailed:
        return
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    if lab.log_path is not None and lab.log_path.exists():
        shutil.copy(lab.log_path, ARTIFACTS / f"jupyterlab-{lab.role}.log")
