"""A course's nbgrader configuration, loaded as nbgrader loads it, plus grading day's settings."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

CONFIG_FILE = "nbgrader_config.py"


class CourseError(RuntimeError):
    """Something about the course that an instructor must fix first (said plainly)."""


@dataclass
class Course:
    """Where a course's grading happens, as its ``nbgrader_config.py`` says."""

    root: Path
    config: Config
    course_id: str
    db_url: str
    exchange_root: Path | None
    roster: Path | None
    due_dates: dict[str, str] = field(default_factory=dict)

    def folder(self, name: str) -> Path:
        key = f"{name}_directory"
        return self.root / self.config.CourseDirectory.get(key, name)

    def submission(self, kind: str, student: str, lesson: str) -> Path:
        """submitted/<student>/<lesson>/ (or autograded/, feedback/)."""
        return self.folder(kind) / student / lesson


def commands_on_path() -> None:
    """Put this interpreter's scripts first on PATH: nbgrader runs ``alembic`` from PATH, and
    the kernels must be this environment's."""
    bindir = str(Path(sys.executable).parent)
    path = os.environ.get("PATH", "")
    if path.split(os.pathsep)[0] != bindir:
        os.environ["PATH"] = bindir + os.pathsep + path


def load(root: str | Path, db_url: str | None = None) -> Course:
    """Read ``root/nbgrader_config.py`` (a clear error when it is missing or raises)."""
    commands_on_path()
    root = Path(root).resolve()
    path = root / CONFIG_FILE
    if not path.is_file():
        raise CourseError(f"{path} not found: run from the course root or pass --root")
    try:
        config = PyFileConfigLoader(CONFIG_FILE, path=str(root)).load_config()
    except Exception as error:  # nbgrader itself would only log it and go on without
        raise CourseError(f"{path} raised {type(error).__name__}: {error}") from error
    config.CourseDirectory.root = str(root)
    if db_url:
        config.CourseDirectory.db_url = db_url
    cd = config.CourseDirectory
    url = cd.get("db_url") or "sqlite:///" + str(root / "gradebook.db")
    exchange = config.Exchange.get("root")
    day = config.GradingDay
    roster = day.get("roster")
    return Course(
        root=root,
        config=config,
        course_id=cd.get("course_id", "default_course"),
        db_url=url,
        exchange_root=Path(exchange) if exchange else None,
        roster=Path(roster) if roster else None,
        due_dates=dict(day.get("due_dates") or {}),
    )
