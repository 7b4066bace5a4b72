"""Collecting submissions into submitted/: from the exchange, or from a zip of notebooks."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from . import ownership
from .config import Course, CourseError

#: In a zip (an LMS export, say): <anything>/<student id>/<notebook>.ipynb.
ZIP_LAYOUT = r".*[\\/](?P<student_id>[^\\/]+)[\\/](?P<file_id>[^\\/]+\.ipynb)$"


def from_exchange(api, lesson: str) -> str:
    """``nbgrader collect`` (newer submissions replace older ones) of the submissions made by
    the students they claim to be (the others are refused first: :mod:`.ownership`); returns
    its log."""
    from nbgrader.exchange.default.exchange import Exchange

    inbound = Path(Exchange(config=api.config).root) / api.coursedir.course_id / "inbound"
    pods = bool(api.config.GradingDay.get("pod_uids"))
    ownership.refuse(inbound, lesson, Path(api.coursedir.root),
                     ownership.pod_uid if pods else ownership.account_uid)
    result = api.collect(lesson, update=True)
    if not result.get("success"):
        raise CourseError(f"nbgrader collect {lesson} failed:\n{result.get('error') or ''}"
                          f"{result.get('log') or ''}")
    return result.get("log") or ""


def from_zip(course: Course, lesson: str, archive: str | Path) -> str:
    """``nbgrader zip_collect`` of one archive whose notebooks sit in a folder per student."""
    archive = Path(archive).resolve()
    if not archive.is_file():
        raise CourseError(f"{archive}: no such file")
    inbox = course.folder("downloaded") / lesson / "archive"
    if inbox.exists():
        shutil.rmtree(inbox)
    inbox.mkdir(parents=True)
    shutil.copy2(archive, inbox / archive.name)
    nbgrader = Path(sys.executable).parent / "nbgrader"
    command = [str(nbgrader) if nbgrader.exists() else "nbgrader", "zip_collect", lesson,
               "--force", f"--FileNameCollectorPlugin.named_regexp={ZIP_LAYOUT}"]
    done = subprocess.run(command, cwd=course.root, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise CourseError(f"nbgrader zip_collect {lesson} failed:\n{done.stderr[-3000:]}")
    return done.stderr
