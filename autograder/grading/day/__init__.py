"""Grading day for a class: ``python -m autograder.grading day LESSON``.

Collect the lesson (from the exchange, or a zip), autograde every submission that has no
complete grade yet, in parallel (a local process pool, or a Dask cluster), write each student's
feedback, release it through the exchange, export ``grades.csv``, and print a status per student.
A killed run loses nothing: the next one grades exactly the submissions still without a complete
grade (see :mod:`.state`).
"""

from __future__ import annotations

from .config import CourseError
from .pipeline import DayReport, Stopped, grading_day

__all__ = ["CourseError", "DayReport", "Stopped", "grading_day"]
