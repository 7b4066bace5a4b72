"""Before grading: the exchange folder, the roster and the due dates in the gradebook."""

from __future__ import annotations

import csv
import os
import sqlite3
import stat
from datetime import datetime, timezone
from pathlib import Path

from .config import Course, CourseError

#: The exchange root, as nbgrader's docs set it up: everyone may write, only owners delete.
EXCHANGE_MODE = 0o777 | stat.S_ISVTX
ROSTER_COLUMNS = ("id", "first_name", "last_name", "email")


def ensure_exchange(course: Course) -> Path | None:
    """Create the exchange root (world-writable, sticky) if missing; fix its mode if too tight."""
    root = course.exchange_root
    if root is None:
        return None
    root.mkdir(parents=True, exist_ok=True)
    if stat.S_IMODE(root.stat().st_mode) != EXCHANGE_MODE:
        try:
            os.chmod(root, EXCHANGE_MODE)
        except PermissionError as error:
            raise CourseError(
                f"the exchange {root} must be writable by every student "
                f"(chmod 1777 {root}): {error}"
            ) from error
    return root


def read_roster(path: Path) -> list[dict[str, str | None]]:
    """Rows of a roster CSV (header: id[,first_name,last_name,email]); a clear error if bad."""
    rows = []
    with open(path, newline="", encoding="utf-8-sig") as f:
        lines = (line for line in f if line.strip() and not line.lstrip().startswith("#"))
        reader = csv.DictReader(lines)
        fields = [name.strip() for name in reader.fieldnames or []]
        if "id" not in fields:
            raise CourseError(f"{path}: the header must name an 'id' column (got {fields})")
        unknown = set(fields) - set(ROSTER_COLUMNS)
        if unknown:
            raise CourseError(f"{path}: unknown columns {sorted(unknown)} "
                              f"(known: {', '.join(ROSTER_COLUMNS)})")
        seen = set()
        for number, row in enumerate(reader, start=2):
            row = {k.strip(): (v or "").strip() or None for k, v in row.items() if k}
            sid = row.get("id")
            if not sid:
                raise CourseError(f"{path}, row {number}: no student id")
            if sid in seen:
                raise CourseError(f"{path}, row {number}: student {sid!r} listed twice")
            seen.add(sid)
            rows.append(row)
    return rows


def import_roster(course: Course, gb) -> int:
    """Add or update the roster's students in the gradebook; how many (0 without a roster)."""
    if course.roster is None or not course.roster.exists():
        return 0
    rows = read_roster(course.roster)
    for row in rows:
        sid = row.pop("id")
        gb.update_or_create_student(sid, **{k: v for k, v in row.items() if k in ROSTER_COLUMNS})
    return len(rows)


def parse_due(text: str) -> datetime:
    """An ISO 8601 date and time; naive means UTC (nbgrader stores naive UTC)."""
    try:
        when = datetime.fromisoformat(str(text).strip())
    except ValueError as error:
        raise CourseError(f"due date {text!r} is not ISO 8601 (2027-01-15 23:59)") from error
    if when.tzinfo is not None:
        when = when.astimezone(timezone.utc).replace(tzinfo=None)
    return when


def set_due_date(course: Course, gb, lesson: str) -> datetime | None:
    """Put the lesson's configured due date in the gradebook (None when none is set)."""
    text = course.due_dates.get(lesson)
    if not text:
        return None
    when = parse_due(text)
    gb.update_or_create_assignment(lesson, duedate=when)
    return when


def sqlite_for_concurrent_graders(db_url: str) -> None:
    """Write-ahead logging for a SQLite gradebook: readers never block the graders' writes, and
    concurrent writers wait for each other (nbgrader opens it with a busy timeout)."""
    if not db_url.startswith("sqlite:///"):
        return
    path = db_url[len("sqlite:///"):]
    if not Path(path).exists():
        return
    with sqlite3.connect(path, timeout=30) as db:
        db.execute("PRAGMA journal_mode=WAL")


def integrity_check(db_url: str) -> str:
    """SQLite's PRAGMA integrity_check ("ok" when sound; "n/a" for another database)."""
    if not db_url.startswith("sqlite:///"):
        return "n/a"
    with sqlite3.connect(db_url[len("sqlite:///"):], timeout=30) as db:
        return "; ".join(row[0] for row in db.execute("PRAGMA integrity_check"))
