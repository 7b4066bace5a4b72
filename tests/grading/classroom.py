"""A class in a box for the grading-day tests: a course folder with an exchange, and students,
each with their own HOME and nbgrader config, who fetch, answer, submit and fetch feedback
through nbgrader's exchange (its Python API: one import of nbgrader for the whole class)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from autograder.grading.base import notebooks
from autograder.grading.checks import corpus

REPO = Path(__file__).resolve().parents[2]
COURSE_ID = "thread-sync"


def make_course(root: Path, lesson: str, *, roster: list[tuple[str, str, str]],
                due: str | None = None, db_url: str | None = None) -> Path:
    """A course folder: the repository's nbgrader_config.py, source/<lesson>/, a roster, the
    lesson generated and released to the exchange (root/exchange)."""
    from nbgrader.apps import NbGraderAPI

    from autograder.grading.day.config import commands_on_path

    commands_on_path()  # nbgrader runs alembic from PATH
    root.mkdir(parents=True, exist_ok=True)
    extra = ""
    if due:
        extra += f"\nc.GradingDay.due_dates = {{{lesson!r}: {due!r}}}\n"
    if db_url:
        extra += f"\nc.CourseDirectory.db_url = {db_url!r}\n"
    text = (REPO / "nbgrader_config.py").read_text(encoding="utf-8")
    (root / "nbgrader_config.py").write_text(text + extra, encoding="utf-8")
    shutil.copytree(REPO / "source" / lesson, root / "source" / lesson,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    lines = ["id,first_name,last_name,email"]
    lines += [f"{sid},{first},{last},{sid}@example.org" for sid, first, last in roster]
    (root / "roster.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # the README's order: `python -m autograder.grading setup` before the first release
    done = subprocess.run([sys.executable, "-m", "autograder.grading", "setup"], cwd=root,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert stat.S_IMODE((root / "exchange").stat().st_mode) == 0o1777
    config = load_config(root)
    api = NbGraderAPI(config=config)
    for step, result in (("generate_assignment", api.generate_assignment(lesson, force=True)),):
        assert result["success"], f"{step}: {result.get('error')}{result.get('log')}"
    result = api.release_assignment(lesson)
    assert result["success"], f"release_assignment: {result.get('error')}{result.get('log')}"
    return root


def load_config(root: Path) -> Config:
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    return config


@contextmanager
def _home(home: Path):
    saved = os.environ.get("HOME")
    os.environ["HOME"] = str(home)
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("HOME", None)
        else:
            os.environ["HOME"] = saved


class Student:
    """A student with their own HOME and the student-side nbgrader config of the README."""

    def __init__(self, home: Path, sid: str, exchange: Path):
        self.home, self.id = home, sid
        jupyter = home / ".jupyter"
        jupyter.mkdir(parents=True, exist_ok=True)
        (jupyter / "nbgrader_config.py").write_text(
            "c = get_config()\n"
            f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
            f"c.Exchange.root = {str(exchange)!r}\n"
            # what a student's own account would give; all students share root here
            f"c.CourseDirectory.student_id = {sid!r}\n", encoding="utf-8")

    def _config(self) -> Config:
        config = PyFileConfigLoader("nbgrader_config.py",
                                    path=str(self.home / ".jupyter")).load_config()
        config.CourseDirectory.root = str(self.home)
        config.Exchange.assignment_dir = str(self.home)
        config.Exchange.cache = str(self.home / ".local/share/jupyter/nbgrader_cache")
        return config

    def _run(self, kind: str, lesson: str) -> None:
        from nbgrader.auth import Authenticator
        from nbgrader.coursedir import CourseDirectory
        from nbgrader.exchange import ExchangeFactory

        config = self._config()
        with _home(self.home):
            coursedir = CourseDirectory(config=config)
            coursedir.assignment_id = lesson
            factory = ExchangeFactory(config=config)
            app = getattr(factory, kind)(coursedir=coursedir,
                                         authenticator=Authenticator(config=config),
                                         config=config)
            app.start()

    def fetch(self, lesson: str) -> Path:
        self._run("FetchAssignment", lesson)
        return self.home / lesson / f"{lesson}.ipynb"

    def answer(self, lesson: str, answers: dict[str, str]) -> None:
        """Replace answer cells (exercise id -> whole cell source) in the fetched notebook."""
        path = self.home / lesson / f"{lesson}.ipynb"
        notebooks.write(corpus.inject(notebooks.read(path), answers), path)

    def submit(self, lesson: str) -> None:
        self._run("Submit", lesson)

    def fetch_feedback(self, lesson: str) -> list[Path]:
        self._run("FetchFeedback", lesson)
        return sorted((self.home / lesson / "feedback").rglob("*.html"))
