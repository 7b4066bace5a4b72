"""One grading job: autograde one student's submission of a lesson, then write its feedback.

Runs in a worker (a process of the local pool, or a Dask worker on another machine): it imports
nbgrader once per process and keeps one ``NbGraderAPI`` per course, so a submission costs its
kernel and its cells, not nbgrader's start-up. Jobs are plain data and return plain data.
"""

from __future__ import annotations

import os
import re
import threading
import time
from dataclasses import dataclass, field

#: nbgrader APIs by (course root, gradebook url, thread): one per worker process, or per thread
#: of a Dask worker running several jobs at once (an API's course directory is set per job).
_APIS: dict[tuple[str, str, int], object] = {}


@dataclass(frozen=True)
class Job:
    course_root: str
    lesson: str
    student: str
    db_url: str
    #: "grade" (autograde, then feedback), "feedback" (the grade is complete; feedback only) or
    #: "autograde" (no feedback: the benchmark's comparison with plain nbgrader autograde)
    kind: str = "grade"


@dataclass
class Outcome:
    student: str
    ok: bool
    seconds: float
    cpu: float
    worker: str = ""
    error: str = ""
    warnings: list[str] = field(default_factory=list)


def _api(course_root: str, db_url: str):
    key = (course_root, db_url, threading.get_ident())
    if key not in _APIS:
        from nbgrader.apps import NbGraderAPI

        from .config import load

        config = load(course_root, db_url).config
        config.CourseDirectory.db_url = db_url
        _APIS[key] = NbGraderAPI(config=config)
    return _APIS[key]


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _warnings(log: str) -> list[str]:
    return [line for line in (log or "").splitlines() if line.startswith(("[WARNING]", "[ERROR]"))]


#: Lines that say only that something failed, not what.
_GENERIC = ("Please see the above traceback", "NbGraderException")
_CAUSE = re.compile(r"^[\w.]*(Error|Exception|Interrupt|Exit|Timeout|Tampering)\b")


def last_error(result: dict) -> str:
    """The cause of a failed nbgrader call in one line: the last exception line of its error
    and log that is not nbgrader's "Please see the above traceback"."""
    text = "\n".join([result.get("log") or "", result.get("error") or ""])
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    useful = [line for line in lines if not any(g in line for g in _GENERIC)]
    causes = [line for line in useful if _CAUSE.match(line)]
    errors = [line for line in useful if line.startswith(("[ERROR]", "[WARNING]"))]
    found = (causes or errors or useful or ["nbgrader failed without saying why"])[-1]
    return found[:500]


def feedback(api, lesson: str, student: str) -> dict:
    """``generate_feedback`` for one student, with the course's own exporter and template (not
    NbGraderAPI.generate_feedback, which forces nbgrader's template)."""
    from nbgrader.converters import GenerateFeedback
    from nbgrader.utils import capture_log

    cd = api.coursedir
    previous = cd.assignment_id, cd.student_id
    cd.assignment_id, cd.student_id = lesson, student
    try:
        app = GenerateFeedback(coursedir=cd, parent=api)
        app.force = True
        return capture_log(app)
    finally:
        cd.assignment_id, cd.student_id = previous


def run(job: Job) -> Outcome:
    """Grade one submission (in a worker); never raises for a grading failure."""
    t0, c0 = time.perf_counter(), _cpu()
    api = _api(job.course_root, job.db_url)
    warnings: list[str] = []
    if job.kind in ("grade", "autograde"):
        result = api.autograde(job.lesson, job.student, force=True, create=True)
        warnings += _warnings(result.get("log", ""))
        if not result.get("success"):
            return Outcome(job.student, False, time.perf_counter() - t0, _cpu() - c0,
                           f"{os.uname().nodename}:{os.getpid()}",
                           "autograde: " + last_error(result), warnings)
        if job.kind == "autograde":
            return Outcome(job.student, True, time.perf_counter() - t0, _cpu() - c0,
                           f"{os.uname().nodename}:{os.getpid()}", "", warnings)
    result = feedback(api, job.lesson, job.student)
    warnings += _warnings(result.get("log", ""))
    ok = bool(result.get("success"))
    return Outcome(job.student, ok, time.perf_counter() - t0, _cpu() - c0,
                   f"{os.uname().nodename}:{os.getpid()}",
                   "" if ok else "generate_feedback: " + last_error(result), warnings)


def warm_up() -> int:
    """Import what a job needs (once per worker process; a no-op in a forked one)."""
    import nbgrader.apps  # noqa: F401
    import nbgrader.converters  # noqa: F401

    return os.getpid()
