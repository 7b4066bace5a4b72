"""Submissions that are not notebooks (invalid JSON, an empty file, JSON of something else):
never sent to a kernel, recorded in the gradebook with 0 points and the parser's message as the
comment, so that the Formgrader, the export and the next run all say why."""

from __future__ import annotations

import warnings
from pathlib import Path

import nbformat

#: How the gradebook comment of an unreadable submission starts.
PREFIX = "Unreadable submission: "
MAX_CHARS = 300


def problem(path: Path) -> str:
    """The parser's message for one notebook file ("" when it is a valid notebook)."""
    try:
        if path.stat().st_size == 0:
            return f"{path.name}: the file is empty"
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
    except Exception as error:  # noqa: BLE001 - any parser error is the student's file
        text = " ".join(str(error).split()) or type(error).__name__
        if len(text) > MAX_CHARS:
            text = text[:MAX_CHARS] + "..."
        return f"{path.name}: {type(error).__name__}: {text}"
    return ""


def problems(folder: Path) -> str:
    """The parser's messages for a submission folder's notebooks ("" when all are readable)."""
    return "; ".join(p for p in (problem(f) for f in sorted(folder.glob("*.ipynb"))) if p)


def recorded(submission) -> str | None:
    """The message recorded in the gradebook for this submission (None: not recorded)."""
    for nb in submission.notebooks:
        for comment in nb.comments:
            text = comment.auto_comment or ""
            if text.startswith(PREFIX):
                return text[len(PREFIX):]
    return None


def record(gb, lesson: str, student: str, why: str, timestamp: str | None) -> None:
    """0 points for every cell of the submission, the parser's message as its comment."""
    from nbgrader.utils import parse_utc

    when = parse_utc(timestamp) if timestamp else None
    with warnings.catch_warnings():  # SQLAlchemy's autoflush notes on nbgrader's own code
        warnings.simplefilter("ignore")
        submission = gb.update_or_create_submission(lesson, student, timestamp=when) \
            if when else gb.update_or_create_submission(lesson, student)
    for nb in submission.notebooks:
        for grade in nb.grades:
            grade.auto_score = 0
            grade.needs_manual_grade = False
        for comment in nb.comments:
            comment.auto_comment = PREFIX + why
    gb.db.commit()
