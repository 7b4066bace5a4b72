"""The exchange after ``python -m autograder.grading setup`` (run before the first release, as
the README says): world-writable with the sticky bit, so that a student can submit, cannot find
(list) another student's submission to read it, and cannot remove or replace what others put in
the exchange.

Students submit with nbgrader's own exchange code (its Python API, as ``nbgrader submit`` does);
the submission is then given to the student's own Unix user (the modes are nbgrader's), and
another user's attempts are made with ``setpriv`` and the shell's tools, as that user would.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest

from . import classroom

LESSON = "01_race_conditions"
ALICE, BOB = 40001, 40002  # the students' Unix users (need not exist in /etc/passwd)


def as_user(uid: int, *command: str) -> subprocess.CompletedProcess:
    return subprocess.run(["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
                           *command], capture_output=True, text=True, timeout=30)


@pytest.fixture(scope="module")
def course():
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv (util-linux) to act as two students")
    base = Path(tempfile.mkdtemp(prefix="exchange-test-"))
    try:
        base.chmod(0o755)  # students reach the exchange through the course folder
        root = classroom.make_course(base / "course", LESSON, roster=[
            ("alice", "Alice", "A"), ("bob", "Bob", "B")])
        yield root
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_setup_makes_the_exchange_1777_before_the_first_release(course):
    exchange = course / "exchange"
    assert stat.S_IMODE(exchange.stat().st_mode) == 0o1777
    outbound = exchange / classroom.COURSE_ID / "outbound" / LESSON
    assert outbound.is_dir()
    # a student's user can read what was released
    assert as_user(BOB, "cat", str(outbound / f"{LESSON}.ipynb")).returncode == 0


def test_a_student_submits_and_cannot_read_another_students_submission(course, tmp_path):
    exchange = course / "exchange"
    inbound = exchange / classroom.COURSE_ID / "inbound"
    submissions = {}
    for sid, uid in (("alice", ALICE), ("bob", BOB)):
        student = classroom.Student(tmp_path / sid, sid, exchange)
        before = set(inbound.iterdir()) if inbound.exists() else set()
        assert student.fetch(LESSON).exists()
        student.submit(LESSON)
        (new,) = set(inbound.iterdir()) - before
        for path in [new, *new.rglob("*")]:
            os.chown(path, uid, uid)  # as if the student's own account had submitted it
        submissions[sid] = new
    alice = submissions["alice"] / f"{LESSON}.ipynb"
    assert alice.is_file()
    assert as_user(ALICE, "cat", str(alice)).returncode == 0  # her own
    # nbgrader's model: the instructor's account collects as "other", so a submission is
    # readable by its path, and that path is secret: the inbox cannot be listed, and the
    # submission's name ends with 12 random characters (72 bits) after its timestamp.
    assert as_user(BOB, "ls", str(inbound)).returncode != 0
    assert re.fullmatch(r"alice\+01_race_conditions\+[^+]+ UTC\+[A-Za-z0-9_-]{12}",
                        submissions["alice"].name), submissions["alice"].name
    guessed = "+".join(submissions["alice"].name.split("+")[:3])  # all but the random part
    assert as_user(BOB, "cat", str(inbound / guessed / f"{LESSON}.ipynb")).returncode != 0
    assert as_user(BOB, "sh", "-c", f"cat '{inbound}'/alice*/*.ipynb").returncode != 0
    # the sticky bit of 1777: Bob cannot remove or replace what others made in the exchange
    course_dir = exchange / classroom.COURSE_ID
    assert as_user(BOB, "mv", str(course_dir), str(exchange / "stolen")).returncode != 0
    assert as_user(BOB, "rm", "-rf", str(course_dir)).returncode != 0
    assert alice.is_file() and course_dir.is_dir() and not (exchange / "stolen").exists()
    # and the instructor collects both
    from nbgrader.apps import NbGraderAPI

    api = NbGraderAPI(config=classroom.load_config(course))
    assert api.collect(LESSON)["success"]
    for sid in ("alice", "bob"):
        assert (course / "submitted" / sid / LESSON / f"{LESSON}.ipynb").is_file()
