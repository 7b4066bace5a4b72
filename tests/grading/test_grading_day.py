"""Grading day end to end, as a class would live it (issues 11 and 22, "Done when").

A course folder with an exchange made by ``python -m autograder.grading setup`` before the first
release; 9 students, each with their own HOME and nbgrader config, fetch lesson 01, answer (right,
wrong, deadlocking, tampering, untouched, spinning, a deleted test cell, a corrupt file, an empty
file) and submit after the due date; one more student on the roster submits nothing. Grading day
runs in parallel, is stopped (SIGTERM) once a first submission is graded and run again: it grades
exactly the submissions still without a complete grade. Each student fetches their own feedback;
grades.csv has their names; every grade is asserted against the corpus's expectations. The same
submissions graded again on a Dask LocalCluster, into a PostgreSQL gradebook, with two CPU hogs
running, get the same scores and no timeout.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest

from autograder.grading.base import lessons, notebooks
from autograder.grading.checks import corpus

from . import classroom, servers

LESSON = "01_race_conditions"
REPO = classroom.REPO
ROSTER = [("alice", "Alice", "Archer"), ("bob", "Bob", "Baker"), ("carol", "Carol", "Cole"),
          ("dave", "Dave", "Dunn"), ("erin", "Erin", "Eve"), ("fred", "Fred", "Fox"),
          ("gina", "Gina", "Gray"), ("hank", "Hank", "Hill"), ("ivan", "Ivan", "Ives"),
          ("judy", "Judy", "Jones")]
#: student -> exercise -> corpus answer (None: the solution; missing: untouched stub)
ANSWERS = {
    "alice": {"counter": None, "bank_account": None},                           # right
    "bob": {"counter": "no_lock", "bank_account": "no_lock"},                   # wrong
    "carol": {"counter": "never_released", "bank_account": "nested_plain_lock"},  # deadlocks
    "dave": {"counter": "tamper_grader", "bank_account": None},                 # tampers
    "erin": {},                                                                 # untouched
    "ivan": {"counter": "spins_forever", "bank_account": "spins_for_money"},    # spins
    "hank": {"counter": None, "bank_account": None},       # right, one test cell deleted
    "fred": {},                                            # corrupt JSON (FILES)
    "gina": {},                                            # an empty file (FILES)
}
#: students whose submitted file is not a notebook: what they submit instead
FILES = {"fred": '{"cells": [{"cell_type": "code", "source": "x = 1"', "gina": ""}
#: on the roster, submits nothing
ABSENT = "judy"
#: the test cell hank deletes
DELETED = "counter"  # its exercise: the first test cell of it
#: graded again on Dask into PostgreSQL under load: a wrong answer and a deadlocking one
AGAIN = ("bob", "carol")
RUN_TIMEOUT = 900  # seconds: no grading-day run of this test may take longer (idle: ~1 min)
DUE = "2026-01-01 00:00"  # in the past: every submission is late
SLOWEST_CELL = 10.0  # seconds: no test cell of the class may take longer (cell timeout: 30 s)


def expected(student: str, exercise: str) -> str:
    if student in FILES:
        return "zero"
    name = ANSWERS[student].get(exercise, "stub")
    if name == "stub":
        return "zero"
    if name is None:
        return "full"
    return corpus.parse(REPO / "tests" / "corpus" / exercise / f"{name}.py").expect


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["COLUMNS"] = "160"
    env.pop("GRADEBOOK_URL", None)
    return env


def day(root: Path, *args: str, timeout: float = RUN_TIMEOUT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autograder.grading", "day", LESSON, *args],
                          cwd=root, env=_env(), capture_output=True, text=True, timeout=timeout)


def exercise_scores(root: Path, db_url: str | None = None, students=tuple(ANSWERS)
                    ) -> dict[str, dict[str, float]]:
    """student -> exercise -> points, from the gradebook."""
    from nbgrader.api import Gradebook

    source = notebooks.read(root / "source" / LESSON / f"{LESSON}.ipynb")
    exercises = lessons.exercises(source, LESSON, LESSON)
    url = db_url or f"sqlite:///{root / 'gradebook.db'}"
    found: dict[str, dict[str, float]] = {}
    with Gradebook(url, classroom.COURSE_ID) as gb:
        for student in students:
            snb = gb.find_submission_notebook(LESSON, LESSON, student)
            grades = {g.name: g for g in snb.grades}
            found[student] = {}
            for ex in exercises.values():
                assert all(grades[t].auto_score is not None for t in ex.test_ids), student
                found[student][ex.id] = sum(grades[t].auto_score for t in ex.test_ids)
    return found


def complete(root: Path) -> dict[str, bool]:
    from autograder.grading.day import config, state

    course = config.load(root)
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url, course.course_id) as gb:
        return {s: state.status(course, gb, LESSON, s).complete for s in ANSWERS}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The class graded: killed once, resumed; returns what the test functions check."""
    base = tmp_path_factory.mktemp("class")
    root = classroom.make_course(base / "course", LESSON, roster=ROSTER, due=DUE)
    source = notebooks.read(root / "source" / LESSON / f"{LESSON}.ipynb")
    solution = corpus.solutions(source)
    deleted = lessons.exercises(source, LESSON, LESSON)[DELETED].test_ids[0]
    students = {}
    for sid, answers in ANSWERS.items():
        student = classroom.Student(base / "home" / sid, sid, root / "exchange")
        fetched = student.fetch(LESSON)
        assert fetched.exists()
        sources = {}
        for exercise, name in answers.items():
            sources[exercise] = solution[exercise] if name is None else corpus.parse(
                REPO / "tests" / "corpus" / exercise / f"{name}.py").source
        student.answer(LESSON, sources)
        if sid == "hank":
            nb = notebooks.read(fetched)
            nb.cells = [c for c in nb.cells if notebooks.grade_id(c) != deleted]
            notebooks.write(nb, fetched)
        if sid in FILES:
            fetched.write_text(FILES[sid], encoding="utf-8")
        student.submit(LESSON)
        students[sid] = student

    # First run: stopped (SIGTERM, as an operator would) once a first submission is graded.
    log = (base / "first.log").open("w")
    first = subprocess.Popen(
        [sys.executable, "-m", "autograder.grading", "day", LESSON, "--workers", "2"],
        cwd=root, env=_env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + RUN_TIMEOUT
        while not any(ok for s, ok in complete(root).items() if s not in FILES):
            assert first.poll() is None, (base / "first.log").read_text()
            assert time.monotonic() < deadline, "no submission graded in time"
            time.sleep(0.3)
        first.send_signal(signal.SIGTERM)
        stopped = first.wait(timeout=60)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
            first.wait(timeout=30)
        log.close()
    first_log = (base / "first.log").read_text()
    after_kill = complete(root)
    resumed = day(root)
    return {"root": root, "base": base, "students": students, "stopped": stopped,
            "first_log": first_log, "after_kill": after_kill, "resumed": resumed,
            "deleted": deleted}


def test_a_stopped_run_keeps_its_grades_and_the_next_grades_exactly_the_rest(graded):
    assert graded["stopped"] == 130, graded["first_log"]
    assert "run the same command again" in graded["first_log"]
    done = [s for s, ok in graded["after_kill"].items() if ok]
    assert 1 <= len(done) < len(ANSWERS), graded["after_kill"]
    out = graded["resumed"].stdout + graded["resumed"].stderr
    assert graded["resumed"].returncode == 0, out
    assert (f"{len(ANSWERS)} submission(s); {len(done)} already have a complete grade, "
            f"{len(ANSWERS) - len(done)} to grade") in out
    assert complete(graded["root"]) == dict.fromkeys(ANSWERS, True)
    assert "integrity_check: ok" in out.replace("\n", " ")


def test_every_grade_is_what_the_answer_deserves(graded):
    scores = exercise_scores(graded["root"])
    points = {"counter": 0.0, "bank_account": 0.0}
    source = notebooks.read(graded["root"] / "source" / LESSON / f"{LESSON}.ipynb")
    for ex in lessons.exercises(source, LESSON, LESSON).values():
        points[ex.id] = ex.points
    for student, per in scores.items():
        if student == "hank":
            continue  # test_a_deleted_test_cell_scores_zero_until_graded_by_hand
        for exercise, score in per.items():
            want = expected(student, exercise)
            assert corpus.meets(want, score, points[exercise]), (student, exercise, score, want)


#: the final state of each student's submission
STATES = {"alice": "graded", "bob": "graded", "carol": "graded", "dave": "flagged for review",
          "erin": "graded", "ivan": "graded", "hank": "tests missing", "fred": "unreadable",
          "gina": "unreadable", ABSENT: "missing"}


def test_status_table_and_export_say_what_each_grade_is(graded):
    out = graded["resumed"].stdout
    names = {sid: f"{first} {last}" for sid, first, last in ROSTER}
    for sid, kind in STATES.items():
        assert re.search(rf"{sid}\s+│\s+{names[sid]}\s+│\s+{kind}\s", out), (sid, out)
    assert re.search(r"fred .*unreadable .*NotJSONError", out), out
    assert re.search(r"gina .*unreadable .*empty", out), out
    assert re.search(rf"hank .*tests missing .*{graded['deleted']} \(0 points\)", out), out
    assert re.search(r"dave .*flagged for review .*Flagged for review", out), out
    with open(graded["root"] / "grades.csv", newline="") as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f)}
    assert set(rows) == set(STATES)
    assert "late_penalty" not in rows["alice"]  # no penalty configured
    scores = exercise_scores(graded["root"])
    for sid, first, last in ROSTER:
        row = rows[sid]
        assert (row["first_name"], row["last_name"], row["status"]) == (first, last,
                                                                        STATES[sid])
        assert row["duedate"].startswith(DUE)
        assert float(row["max_score"]) > 0
        if sid == ABSENT:
            assert row["score"] == row["submitted_at"] == row["minutes_late"] == "", row
            continue
        assert float(row["score"]) == sum(scores[sid].values())
        assert row["submitted_at"] > DUE and float(row["minutes_late"]) > 0, row
    assert rows["fred"]["score"] == "0" and "NotJSONError" in rows["fred"]["why"]


def test_unreadable_submissions_are_recorded_with_the_parsers_message(graded):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{graded['root'] / 'gradebook.db'}", classroom.COURSE_ID) as gb:
        for sid, words in (("fred", "NotJSONError"), ("gina", "empty")):
            snb = gb.find_submission_notebook(LESSON, LESSON, sid)
            assert all(g.score == 0 for g in snb.grades), sid
            comments = [c.auto_comment or "" for c in snb.comments]
            assert comments and all(c.startswith("Unreadable submission: ") and words in c
                                    for c in comments), comments


def test_a_deleted_test_cell_scores_zero_until_graded_by_hand(graded, tmp_path):
    from nbgrader.api import Gradebook

    from autograder.grading.day import config, state

    root = graded["root"]
    course = config.load(root)
    gid = graded["deleted"]
    with Gradebook(course.db_url, course.course_id) as gb:
        grade = gb.find_grade(gid, LESSON, LESSON, "hank")
        assert grade.auto_score == 0
        comments = [c.auto_comment or "" for c in
                    gb.find_submission_notebook(LESSON, LESSON, "hank").comments]
        assert any(f"Tests missing: the test cell(s) {gid}" in c for c in comments), comments
        st = state.status(course, gb, LESSON, "hank")
        assert st.complete and st.state == state.TESTS_MISSING
        grade.manual_score = grade.max_score  # the instructor's manual grade replaces the 0
        gb.db.commit()
        st = state.status(course, gb, LESSON, "hank")
        assert st.complete and st.deleted_tests == {gid: "graded by hand"}
        assert st.score == exercise_scores(root, students=("hank",))["hank"]["counter"] + (
            exercise_scores(root, students=("hank",))["hank"]["bank_account"]) + grade.max_score
        grade.manual_score = None
        gb.db.commit()


def test_each_student_fetches_their_own_feedback(graded):
    scores = exercise_scores(graded["root"])
    for sid, student in graded["students"].items():
        pages = student.fetch_feedback(LESSON)
        if sid in FILES:
            assert pages == [], sid  # nothing was run: the table and export say why
            continue
        assert len(pages) == 1, (sid, pages)
        html = pages[0].read_text(encoding="utf-8")
        total = sum(scores[sid].values())
        assert f"(Score: {round(total, 2)}" in html, sid
        # no resource from the network (CSS comments may name a URL; no src/href does)
        assert not re.search(r"""(src|href)=["']?https?://""", html), sid
        assert "BEGIN HIDDEN TESTS" not in html, sid
    bob = graded["students"]["bob"].fetch_feedback(LESSON)[0].read_text(encoding="utf-8")
    # a wrong answer: each failing test's interleaving as a picture above its step table
    failing = [c for c in bob.split('class="cell ') if c.startswith("border-box-sizing code_cell")
               and "output_error" in c and "interleaving that shows" in c]
    assert failing
    for cell in failing:
        assert 'class="failure-headline"' in cell and 'class="failure-picture"' in cell, cell
        assert cell.index('class="failure-picture"') < cell.index("The interleaving that shows")
    carol = graded["students"]["carol"].fetch_feedback(LESSON)[0].read_text(encoding="utf-8")
    assert "Deadlock" in carol


def test_the_class_report_groups_what_the_class_got_wrong(graded):
    """Issue 24: reports/<lesson>.html and its summary in the terminal: the wrong answers
    grouped by failure (right answers in none, flagged ones listed apart), each student linked
    to their feedback; unreadable, late and missing students; built again from the same
    submissions, the same page byte for byte."""
    from nbgrader.api import Gradebook

    from autograder.grading.day import config, report, state

    out = graded["resumed"].stdout
    assert f"{LESSON}: what the class got wrong" in out, out
    assert f"class report: {graded['root'] / 'reports' / LESSON}.html" in out.replace("\n", "")
    path = graded["root"] / "reports" / f"{LESSON}.html"
    page = path.read_text(encoding="utf-8")
    course = config.load(graded["root"])
    with Gradebook(course.db_url, course.course_id) as gb:
        statuses = state.statuses(course, gb, LESSON, [sid for sid, _, _ in ROSTER])
        again = report.for_lesson(course, gb, LESSON, statuses)
    assert report.render(again) == page
    grouped = {(s, g.key.exercise): g for g in again.groups for s in g.students}
    for student in ("alice", "hank", "dave", "fred", "gina", ABSENT):
        assert not any(s == student for s, _ in grouped), student
    assert grouped["bob", "counter"].key.verdict == "Lost update"
    assert grouped["bob", "counter"].mistake == "loses updates"
    assert grouped["carol", "counter"].key.verdict == "Deadlock"
    assert grouped["ivan", "counter"].key.verdict == "Spinning"
    assert grouped["erin", "counter"].key.verdict.startswith("Not answered")
    assert grouped["erin", "counter"] is grouped["erin", "bank_account"] or (
        grouped["erin", "bank_account"].key.verdict.startswith("Not answered"))
    for student in ("bob", "carol", "ivan", "erin"):
        assert f'href="../feedback/{student}/{LESSON}/{LESSON}.html"' in page, student
    for section, who in (("Flagged for review (1)", "dave"), ("Unreadable submissions (2)",
                                                               "fred"),
                         ("Missing (no submission) (1)", ABSENT), ("Late (", "alice")):
        assert section in page and who in page.split(section, 1)[1], section
    assert "data:image/png;base64," in page and not re.search(
        r"""(src|href)=["']?https?://""", page)


def test_no_answer_comes_near_the_cell_timeout(graded):
    """The slowest test cell of the class (spinning and deadlocking answers included) is
    decided by the engine far below the 30 s cell timeout (a backstop never reached)."""
    from autograder.grading.day import config

    timeout = config.load(graded["root"]).config.ExecutePreprocessor.timeout
    slowest = 0.0
    for path in (graded["root"] / "autograded").rglob("*.ipynb"):
        text = path.read_text(encoding="utf-8")
        assert "CellTimeoutError" not in text and "did not finish" not in text, path
        for cell in notebooks.read(path).cells:
            run = cell.get("metadata", {}).get("execution", {})
            if "iopub.execute_input" in run and "shell.execute_reply" in run:
                took = (datetime.fromisoformat(run["shell.execute_reply"].rstrip("Z"))
                        - datetime.fromisoformat(run["iopub.execute_input"].rstrip("Z")))
                slowest = max(slowest, took.total_seconds())
    assert 0 < slowest <= SLOWEST_CELL < timeout, slowest


def test_graded_notebooks_draw_test_pictures_and_no_lesson_pictures(graded):
    """The grading kernel draws no lesson picture or widget (course.drawing.not_drawn: each is a
    note), and a failing test still has the picture of its interleaving (drawn by the grader from
    what the kernel sent: plugins/failure_drawings.py)."""
    bob = notebooks.read(graded["root"] / "autograded" / "bob" / LESSON / f"{LESSON}.ipynb")
    notes = pngs_of_tests = 0
    for cell in bob.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            text = str(data.get("text/plain", "")) + str(data.get("text/html", ""))
            # a failing test's interleaving came from the kernel as data; the grader drew it
            assert "application/vnd.autograder.failure-trace+json" not in data
            if notebooks.grade_id(cell) is None:
                assert "image/png" not in data, cell.source[:200]
                notes += "not drawn while the notebook is graded" in text
            elif "image/png" in data:
                pngs_of_tests += 1
    assert notes >= 5, notes  # the lesson's timelines, boards and live demo
    assert pngs_of_tests >= 1  # bob's lost update, drawn in the failing test cell


def test_graded_again_on_dask_into_postgresql_under_load_same_scores(graded, tmp_path):
    """Two of the submissions, graded again on a Dask LocalCluster into a PostgreSQL gradebook
    while two CPU hogs run: identical scores, no cell timed out."""
    first = {s: v for s, v in exercise_scores(graded["root"]).items() if s in AGAIN}
    root = tmp_path / "course"
    shutil.copytree(graded["root"], root, ignore=shutil.ignore_patterns(
        "gradebook.db*", "autograded", "feedback", "exchange", ".grading-day", "grades.csv"))
    for student in ANSWERS:
        if student not in AGAIN:
            shutil.rmtree(root / "submitted" / student)
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    try:
        with servers.postgres() as url:
            config = (root / "nbgrader_config.py").read_text(encoding="utf-8")
            (root / "nbgrader_config.py").write_text(
                config + f"\nc.CourseDirectory.db_url = {url!r}\n", encoding="utf-8")
            from nbgrader.apps import NbGraderAPI

            made = NbGraderAPI(config=classroom.load_config(root)).generate_assignment(
                LESSON, force=True)
            assert made["success"], made
            os.environ["PATH"] = _env()["PATH"]  # the cluster's workers run nbgrader's alembic
            with servers.dask_cluster(2) as address:
                run = day(root, "--no-collect", "--no-release", "--scheduler", address)
            out = run.stdout + run.stderr
            assert run.returncode == 0, out
            assert "Dask cluster" in out
            assert exercise_scores(root, url, AGAIN) == first
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait(timeout=10)
    for path in (root / "autograded").rglob("*.ipynb"):
        text = path.read_text(encoding="utf-8")
        assert "CellTimeoutError" not in text and "did not finish" not in text, path


def in_own_thread(work, deadline: float) -> None:
    """Run ``work`` in a daemon thread of its own, within ``deadline`` seconds; its exception,
    an assertion's included, is raised here."""
    failed: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as error:  # handed to the test's thread
            failed.append(error)

    thread = threading.Thread(target=run, name="playwright", daemon=True)
    thread.start()
    thread.join(deadline)
    assert not thread.is_alive(), f"the browser check did not finish within {deadline} s"
    if failed:
        raise failed[0]


def test_a_wrong_answers_feedback_in_a_browser_shows_the_picture_above_the_table(graded):
    """Bob's feedback page in headless Chromium (Playwright from pip, Debian's chromium): the
    verdict's headline, the timeline picture decoded and drawn above the step table, and no line
    wider than the page (long lines wrap)."""
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not os.access(chromium, os.X_OK):
        if os.environ.get("CI"):
            pytest.fail(f"no chromium at {chromium} (apt-get install chromium)")
        pytest.skip(f"no chromium at {chromium}")
    from playwright.sync_api import sync_playwright

    page_path = graded["root"] / "feedback" / "bob" / LESSON / f"{LESSON}.html"

    def look() -> None:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, headless=True, timeout=60_000,
                                        args=["--headless", "--no-sandbox", "--disable-gpu"])
            try:
                page = browser.new_page(viewport={"width": 1000, "height": 900})
                page.set_default_timeout(30_000)
                requests = []
                page.on("request", lambda r: requests.append(r.url))
                page.goto(page_path.as_uri())
                pictures = page.locator(".failure-picture img")
                assert pictures.count() >= 1
                first = pictures.first
                first.scroll_into_view_if_needed()
                assert first.is_visible()
                assert first.evaluate("img => img.complete && img.naturalWidth > 0")
                cell = first.locator("xpath=ancestor::div[contains(@class, 'cell')][1]")
                headline = cell.locator(".failure-headline").inner_text()
                assert headline.strip(), "no headline"
                table = cell.get_by_text("The interleaving that shows it").first
                assert first.bounding_box()["y"] < table.bounding_box()["y"]
                wide = page.evaluate("document.scrollingElement.scrollWidth"
                                     " - document.scrollingElement.clientWidth")
                assert wide <= 1, f"a line {wide}px wider than the page"
                assert all(u.startswith(("file:", "data:")) for u in requests), requests
            finally:
                browser.close()

    # Playwright's sync API refuses to start in a thread where an asyncio loop is running (on a
    # worker shared with other suites, something had left one running in CI): its own has none.
    in_own_thread(look, deadline=300)


def test_a_failing_canary_stops_grading_day_before_anyone_is_graded(graded, tmp_path):
    """The canary: the lesson's own solution, broken here (its counter answer raises) as a
    broken environment would break it, fails first; the command stops with the cause in one
    line, grades nobody and writes no grades file."""
    root = tmp_path / "course"
    shutil.copytree(graded["root"], root, ignore=shutil.ignore_patterns(
        "autograded", "feedback", ".grading-day", "grades.csv"))
    path = root / "source" / LESSON / f"{LESSON}.ipynb"
    nb = notebooks.read(path)
    answer = lessons.exercises(nb, LESSON, LESSON)["counter"].answer_index
    nb.cells[answer].source = "raise RuntimeError('the grading environment is broken')"
    notebooks.write(nb, path)
    run = day(root, "--no-collect", "--no-release", "--force", "--workers", "1")
    out = run.stdout + run.stderr
    assert run.returncode == 2, out
    lines = [line for line in run.stderr.splitlines() if "canary:" in line]
    assert len(lines) == 1, out  # the cause, in one line
    assert "own solution" in lines[0] and "scored" in lines[0], lines
    assert "RuntimeError: the grading environment is broken" in lines[0], lines
    assert "nobody was graded" in lines[0]
    assert not (root / "grades.csv").exists()
    assert not (root / "autograded").exists() and not (root / "feedback").exists()
