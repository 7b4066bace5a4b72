"""Grading day, step by step: set up, collect, grade in parallel, release feedback, export."""

from __future__ import annotations

import signal
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console

from ..base.progress import progress
from . import canary, executors, export, jobs, setup, state, unreadable
from . import collect as collecting
from .config import Course, CourseError, load

#: A job that fails for a reason outside the submission (a worker killed, a locked gradebook) is
#: tried this many times in all.
ATTEMPTS = 2


#: Where local workers log (under the course root; not committed).
LOG_DIR = ".grading-day"
#: How the gradebook comment of a submission the grader failed on starts.
NOT_GRADED_PREFIX = "Not graded: "


class Stopped(Exception):
    """SIGTERM (or Ctrl-C) during grading: the run stopped, nothing graded is lost."""


@dataclass
class DayReport:
    lesson: str
    statuses: dict[str, state.Status]
    outcomes: dict[str, jobs.Outcome] = field(default_factory=dict)
    already_complete: list[str] = field(default_factory=list)
    graded: list[str] = field(default_factory=list)
    wall: float = 0.0
    where: str = ""
    integrity: str = ""
    export_path: Path | None = None
    notes: list[str] = field(default_factory=list)
    #: the lesson's class report (:class:`.report.ClassReport`) and its page, when written
    class_report: Any = None
    report_path: Path | None = None

    @property
    def ok(self) -> bool:
        """No grader failure: every submission is in a final state other than "not graded"."""
        return all(s.state != state.NOT_GRADED for s in self.statuses.values())


def _gradebook(course: Course):
    from nbgrader.api import Gradebook

    return Gradebook(course.db_url, course.course_id)


def prepare(course: Course, lesson: str) -> list[str]:
    """The exchange folder, the roster and the lesson's due date; what was done, as notes."""
    from nbgrader.api import MissingEntry

    notes = []
    exchange = setup.ensure_exchange(course)
    if exchange:
        notes.append(f"exchange: {exchange}")
    setup.sqlite_for_concurrent_graders(course.db_url)
    with _gradebook(course) as gb:
        try:
            gb.find_assignment(lesson)
        except MissingEntry:
            raise CourseError(
                f"lesson {lesson!r} is not in the gradebook {course.db_url}: generate it first "
                f"(nbgrader generate_assignment {lesson}, then nbgrader release_assignment "
                f"{lesson})") from None
        n = setup.import_roster(course, gb)
        if n:
            notes.append(f"roster: {n} student(s) from {course.roster}")
        due = setup.set_due_date(course, gb, lesson)
        if due:
            notes.append(f"due date: {due:%Y-%m-%d %H:%M} UTC")
    return notes


def _raise_stopped(signum, frame):
    raise Stopped(f"stopped by signal {signum}")


def grade_all(course: Course, lesson: str, todo: list[jobs.Job], pool, console: Console
              ) -> dict[str, jobs.Outcome]:
    """Run the jobs on `pool`, a progress bar with count and ETA; failed jobs tried again."""
    outcomes: dict[str, jobs.Outcome] = {}
    attempts = dict.fromkeys((j.student for j in todo), 0)
    pending: dict[Future, jobs.Job] = {}
    with progress(len(todo), f"grading {lesson}", console) as advance:

        def submit(job: jobs.Job) -> None:
            attempts[job.student] += 1
            pending[pool.submit(jobs.run, job)] = job

        for job in todo:
            submit(job)
        while pending:
            done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
            for future in done:
                job = pending.pop(future)
                try:
                    outcome = future.result()
                except Exception as error:  # the worker died or could not reach the gradebook
                    outcome = jobs.Outcome(job.student, False, 0.0, 0.0,
                                           error=f"{type(error).__name__}: {error}")
                if not outcome.ok and attempts[job.student] < ATTEMPTS:
                    submit(job)
                    continue
                outcomes[job.student] = outcome
                advance()
    return outcomes


def _save_warnings(course: Course, lesson: str, report: DayReport) -> None:
    """nbgrader's warnings and errors per student (from every worker, Dask's too) in one file."""
    lines = [f"{student}: {w}" for student, o in sorted(report.outcomes.items())
             for w in o.warnings]
    if not lines:
        return
    path = course.root / LOG_DIR / f"{lesson}-warnings.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as f:
        f.write(f"# {time.strftime('%Y-%m-%d %H:%M:%S')}\n" + "\n".join(lines) + "\n")
    report.notes.append(f"{len(lines)} warning(s) from nbgrader: {path}")


def release_feedback(api, lesson: str) -> str:
    result = api.release_feedback(lesson)
    if not result.get("success"):
        return f"release_feedback failed: {(result.get('error') or result.get('log') or '')[-500:]}"
    return ""


def grading_day(course_root: str | Path, lesson: str, *, workers: int | None = None,
                scheduler: str | None = None, collect: str | None = "exchange",
                zip_path: str | Path | None = None, force: bool = False,
                release: bool = True, feedback: bool = True,
                export_to: str | Path | None = "grades.csv",
                db_url: str | None = None, console: Console | None = None,
                canary_first: bool = True, class_report: bool = True) -> DayReport:
    """Collect `lesson` (``collect``: "exchange", "zip" with `zip_path`, or None), grade every
    submission without a complete grade (all of them with `force`) in parallel, write and
    release feedback (unless `feedback` is False: autograde only), export the grades; returns
    what happened to each student. Before grading anyone, the lesson's own solution is graded
    on the same workers (the canary, unless `canary_first` is False): if it does not earn full
    marks, :class:`~.canary.CanaryFailed` is raised, nobody is graded and nothing exported.
    Last, the lesson's class report (unless `class_report` is False): reports/<lesson>.html."""
    console = console or Console(stderr=True)
    t0 = time.perf_counter()
    course = load(course_root, db_url)
    canary.check_environment()
    notes = prepare(course, lesson)
    from nbgrader.apps import NbGraderAPI

    api = NbGraderAPI(config=course.config)
    if collect == "exchange":
        collecting.from_exchange(api, lesson)
    elif collect == "zip":
        if zip_path is None:
            raise CourseError("collect='zip' needs zip_path")
        collecting.from_zip(course, lesson, zip_path)
    elif collect is not None:
        raise CourseError(f"collect must be 'exchange', 'zip' or None, not {collect!r}")

    students = state.submitted_students(course, lesson)
    with _gradebook(course) as gb:
        roster = [s.id for s in gb.students]
        record_unreadable(course, gb, lesson, students, force)
        before = state.statuses(course, gb, lesson, students)
    report = DayReport(lesson, {}, notes=notes)
    report.already_complete = [s for s, st in before.items() if st.complete and not force]
    def kind(st: state.Status) -> str:
        if not feedback:
            return "autograde"
        return "feedback" if st.needs_feedback_only and not force else "grade"

    todo = [jobs.Job(str(course.root), lesson, s, course.db_url, kind(st))
            for s, st in before.items() if (force or not st.complete) and not st.unreadable]
    console.print(f"{lesson}: {len(students)} submission(s); "
                  f"{len(report.already_complete)} already have a complete grade, "
                  f"{len(todo)} to grade")
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _raise_stopped) if main else None
    try:
        if todo:
            logs = course.root / LOG_DIR
            with executors.executor(workers, scheduler, str(logs)) as (pool, where):
                report.where = where
                console.print(f"grading on {where}"
                              + ("" if scheduler else f"; their logs in {logs}/"))
                if canary_first:
                    seconds = canary.check(course, lesson, pool, logs)
                    console.print(f"canary: {lesson}'s own solution earned full marks "
                                  f"({seconds:.1f} s)")
                report.outcomes = grade_all(course, lesson, todo, pool, console)
    except KeyboardInterrupt:
        raise Stopped("interrupted") from None
    finally:
        if main:
            signal.signal(signal.SIGTERM, previous)
    report.graded = [s for s, o in report.outcomes.items() if o.ok]
    _save_warnings(course, lesson, report)
    if release and feedback and course.exchange_root is not None:
        problem = release_feedback(api, lesson)
        if problem:
            report.notes.append(problem)
    with _gradebook(course) as gb:
        everyone = sorted(set(students) | set(roster))
        report.statuses = state.statuses(course, gb, lesson, everyone)
        for student, outcome in report.outcomes.items():
            st = report.statuses[student]
            if not st.complete and outcome.error:
                st.reason = outcome.error
        comment_not_graded(gb, lesson, report.statuses)
        if export_to:
            report.export_path = export.write(course, gb, course.root / export_to,
                                              {lesson: report.statuses})
        if class_report:
            write_class_report(course, gb, lesson, report)
    report.integrity = setup.integrity_check(course.db_url)
    report.wall = time.perf_counter() - t0
    return report


def write_class_report(course: Course, gb, lesson: str, report: DayReport) -> None:
    """reports/<lesson>.html; a report that cannot be written is a note, never a failed day."""
    from . import report as class_reports

    try:
        report.class_report, report.report_path = class_reports.write(
            course, gb, lesson, report.statuses)
    except Exception as error:  # noqa: BLE001 - the grades are what matters
        report.notes.append(f"class report not written: {type(error).__name__}: {error}")


def record_unreadable(course: Course, gb, lesson: str, students, force: bool) -> list[str]:
    """Record each unreadable submission (0 points, the parser's message); who they are."""
    found = []
    for student in students:
        folder = course.submission("submitted", student, lesson)
        why = unreadable.problems(folder)
        if not why:
            continue
        found.append(student)
        try:
            done = unreadable.recorded(gb.find_submission(lesson, student)) == why
        except Exception:  # noqa: BLE001 - MissingEntry: not in the gradebook yet
            done = False
        if force or not done:
            stamp = folder / "timestamp.txt"
            unreadable.record(gb, lesson, student, why,
                              stamp.read_text(encoding="utf-8").strip() if stamp.exists()
                              else None)
    return found


def comment_not_graded(gb, lesson: str, statuses: dict[str, state.Status]) -> None:
    """The cause of a grader failure as the submission's gradebook comment (Formgrader)."""
    from nbgrader.api import MissingEntry

    for student, st in statuses.items():
        if st.state != state.NOT_GRADED:
            continue
        try:
            submission = gb.find_submission(lesson, student)
        except MissingEntry:
            continue
        for nb in submission.notebooks:
            for comment in nb.comments[:1]:
                comment.auto_comment = NOT_GRADED_PREFIX + st.why
    gb.db.commit()
