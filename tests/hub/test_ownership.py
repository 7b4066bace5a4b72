"""Grading day refuses a submission made in another student's name (autograder/grading/day/
ownership.py), told by the owners of its files in the exchange. Needs root, to give files to
other accounts (the system's own ``daemon`` and ``nobody``)."""

from __future__ import annotations

import os
import pwd

import pytest

from autograder.grading.day import ownership

LESSON = "04_event"

needs_root = pytest.mark.skipif(
    os.geteuid() != 0, reason="needs root: files owned by other accounts are made with chown"
)


def _account(name: str) -> int:
    try:
        return pwd.getpwnam(name).pw_uid
    except KeyError:
        pytest.skip(f"no system account {name!r} here")


def _submission(inbound, claimed: str, owner_uid: int, stamp: str):
    folder = inbound / f"{claimed}+{LESSON}+{stamp}+abc123"
    folder.mkdir()
    (folder / f"{LESSON}.ipynb").write_text("{}")
    (folder / "timestamp.txt").write_text(stamp)
    for path in (folder, *folder.iterdir()):
        os.chown(path, owner_uid, -1)
    return folder


@needs_root
def test_refuses_a_submission_in_another_students_name(tmp_path):
    daemon, nobody = _account("daemon"), _account("nobody")
    inbound, course = tmp_path / "inbound", tmp_path / "course"
    inbound.mkdir()
    course.mkdir()
    own = _submission(inbound, "nobody", nobody, "2026-12-07 10:00:00.000000 UTC")
    forged = _submission(inbound, "daemon", nobody, "2026-12-07 11:00:00.000000 UTC")
    unknown = _submission(inbound, "no-such-account", daemon, "2026-12-07 12:00:00.000000 UTC")
    linked = _submission(inbound, "nobody", nobody, "2026-12-07 13:00:00.000000 UTC")
    (linked / "answer.py").symlink_to("/etc/shadow")
    os.lchown(linked / "answer.py", nobody, -1)

    refused = ownership.refuse(inbound, LESSON, course)

    assert sorted(r.folder for r in refused) == sorted([forged.name, linked.name])
    assert own.exists() and unknown.exists(), "a student's own submission must stay"
    assert not forged.exists() and not linked.exists(), "refused submissions leave the exchange"
    kept = course / ownership.REFUSED_DIR / LESSON
    assert (kept / forged.name / f"{LESSON}.ipynb").read_text() == "{}"
    assert (kept / linked.name / "answer.py").is_symlink(), "a link is kept, never followed"
    (why,) = ownership.flags(course, LESSON, "daemon")
    assert "made by Unix account nobody, not by daemon" in why, why
    (why,) = ownership.flags(course, LESSON, "nobody")
    assert "symbolic links" in why, why
    # A second run finds nothing new and keeps the record.
    assert ownership.refuse(inbound, LESSON, course) == []
    assert len(ownership.read_ledger(course, LESSON)) == 2


def test_a_student_of_another_course_without_account_is_not_checked(tmp_path):
    assert ownership.problem(tmp_path, "no-such-account") is None


def test_a_refusal_shows_in_the_claimed_students_status(tmp_path):
    """Grading day's status of the student named by a refused submission carries the reason
    (the table prints a status's flags), also when they submitted nothing themselves."""
    from nbgrader.api import MissingEntry
    from traitlets.config import Config

    from autograder.grading.day import state
    from autograder.grading.day.config import Course

    class NoGradebook:
        def find_student(self, student):
            raise MissingEntry()

    ownership._write_ledger(tmp_path, LESSON, [
        ownership.Refusal("alan+04_event+t+r", "alan", "made by barbara: refused")])
    course = Course(tmp_path, Config(), "thread-sync", "sqlite://", None, None)
    st = state.status(course, NoGradebook(), LESSON, "alan")
    assert not st.submitted and st.flags == ["made by barbara: refused"]
    assert state.status(course, NoGradebook(), LESSON, "barbara").flags == []
