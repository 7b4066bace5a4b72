"""Grading day end to end, as a class would live it (issue 11's "Done when").

A course folder with an exchange; 5 students, each with their own HOME and nbgrader config,
fetch lesson 01, answer (right, wrong, deadlocking, tampering, untouched) and submit. Grading day
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
import time
from pathlib import Path

import pytest

from autograder.grading import corpus, lessons, notebooks

from . import classroom, servers

LESSON = "01_race_conditions"
REPO = classroom.REPO
ROSTER = [("alice", "Alice", "Archer"), ("bob", "Bob", "Baker"), ("carol", "Carol", "Cole"),
          ("dave", "Dave", "Dunn"), ("erin", "Erin", "Eve")]
#: student -> exercise -> corpus answer (None: the solution; missing: untouched stub)
ANSWERS = {
    "alice": {"counter": None, "bank_account": None},                           # right
    "bob": {"counter": "no_lock", "bank_account": "no_lock"},                   # wrong
    "carol": {"counter": "never_released", "bank_account": "nested_plain_lock"},  # deadlocks
    "dave": {"counter": "tamper_grader", "bank_account": None},                 # tampers
    "erin": {},                                                                 # untouched
}
#: graded again on Dask into PostgreSQL under load: a wrong answer and a deadlocking one
AGAIN = ("bob", "carol")
RUN_TIMEOUT = 900  # seconds: no grading-day run of this test may take longer (idle: ~1 min)


def expected(student: str, exercise: str) -> str:
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
    root = classroom.make_course(base / "course", LESSON, roster=ROSTER,
                                 due="2099-12-31 23:59")
    solution = corpus.solutions(notebooks.read(root / "source" / LESSON / f"{LESSON}.ipynb"))
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
        student.submit(LESSON)
        students[sid] = student

    # First run: stopped (SIGTERM, as an operator would) once a first submission is graded.
    log = (base / "first.log").open("w")
    first = subprocess.Popen(
        [sys.executable, "-m", "autograder.grading", "day", LESSON, "--workers", "2"],
        cwd=root, env=_env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + RUN_TIMEOUT
        while not any(complete(root).values()):
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
            "first_log": first_log, "after_kill": after_kill, "resumed": resumed}


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
        for exercise, score in per.items():
            want = expected(student, exercise)
            assert corpus.meets(want, score, points[exercise]), (student, exercise, score, want)


def test_status_table_and_export_name_every_student(graded):
    out = graded["resumed"].stdout
    for sid, first, last in ROSTER:
        assert re.search(rf"{sid}\s+│\s+{first} {last}\s+│\s+graded", out), out
    with open(graded["root"] / "grades.csv", newline="") as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f)}
    assert set(rows) == set(ANSWERS)
    scores = exercise_scores(graded["root"])
    for sid, first, last in ROSTER:
        row = rows[sid]
        assert (row["first_name"], row["last_name"]) == (first, last)
        assert float(row["score"]) == sum(scores[sid].values())
        assert row["duedate"].startswith("2099-12-31 23:59")


def test_each_student_fetches_their_own_feedback(graded):
    scores = exercise_scores(graded["root"])
    for sid, student in graded["students"].items():
        pages = student.fetch_feedback(LESSON)
        assert len(pages) == 1, (sid, pages)
        html = pages[0].read_text(encoding="utf-8")
        total = sum(scores[sid].values())
        assert f"(Score: {round(total, 2)}" in html, sid
        # no resource from the network (CSS comments may name a URL; no src/href does)
        assert not re.search(r"""(src|href)=["']?https?://""", html), sid
        assert "BEGIN HIDDEN TESTS" not in html, sid
    bob = graded["students"]["bob"].fetch_feedback(LESSON)[0].read_text(encoding="utf-8")
    # a wrong answer: the failing interleaving as a picture, and as a table in the message
    assert "data:image/png;base64," in bob
    assert "The interleaving that shows it" in bob


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
