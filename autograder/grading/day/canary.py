"""The canary: before grading anyone, the lesson's own solution is graded in the same sandbox,
kernel and environment as the students' (a job on the same pool of workers). If it does not earn
full marks, the environment is broken (the kernel cannot import the grader, the sandbox hides
something the lesson needs, a lesson bug): grading day stops with the cause in one line, grades
nobody and writes no grades file, instead of giving every student 0.

It runs in a scratch course under ``.grading-day/canary/<lesson>/`` (inside the course folder, so
that a Dask cluster's workers see it too) with its own SQLite gradebook: the class's gradebook,
export and exchange are never touched.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from ..base import notebooks
from ..checks import corpus
from . import jobs
from .config import CONFIG_FILE, Course, CourseError

STUDENT = "canary"


class CanaryFailed(CourseError):
    """The lesson's solution did not earn full marks in the grading environment."""


def _course(course: Course, lesson: str, where: Path) -> str:
    """A scratch course at `where` with the lesson generated; returns its gradebook URL."""
    from nbgrader.apps import NbGraderAPI

    from .config import load

    if where.exists():
        shutil.rmtree(where)
    where.mkdir(parents=True)
    db_url = "sqlite:///" + str(where / "gradebook.db")
    text = (course.root / CONFIG_FILE).read_text(encoding="utf-8")
    (where / CONFIG_FILE).write_text(
        text + f"\n# grading day's canary\nc.CourseDirectory.root = {str(where)!r}\n"
        f"c.CourseDirectory.db_url = {db_url!r}\n", encoding="utf-8")
    source = course.folder("source") / lesson
    shutil.copytree(source, where / "source" / lesson,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    api = NbGraderAPI(config=load(where, db_url).config)
    made = api.generate_assignment(lesson, force=True)
    if not made.get("success"):
        raise CanaryFailed(f"canary: nbgrader generate_assignment {lesson} failed in {where}: "
                           + jobs.last_error(made))
    for path in sorted((where / "source" / lesson).glob("*.ipynb")):
        released = notebooks.read(where / "release" / lesson / path.name)
        answers = corpus.solutions(notebooks.read(path))
        notebooks.write(corpus.inject(released, answers),
                        where / "submitted" / STUDENT / lesson / path.name)
    return db_url


def _first_error(autograded: Path) -> str:
    """The first error output of the autograded notebooks, in one line."""
    for path in sorted(autograded.glob("*.ipynb")):
        for cell in notebooks.read(path).cells:
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error":
                    gid = notebooks.grade_id(cell) or "a cell"
                    message = " ".join(str(out.get("evalue", "")).split())[:300]
                    return f"{path.name}, {gid}: {out.get('ename')}: {message}"
    return "no cell shows an error"


def check(course: Course, lesson: str, pool, log_dir: Path) -> float:
    """Grade the solution on `pool`; its seconds, or :class:`CanaryFailed` with the cause."""
    from nbgrader.api import Gradebook

    where = log_dir / "canary" / lesson
    db_url = _course(course, lesson, where)
    job = jobs.Job(str(where), lesson, STUDENT, db_url, "autograde")
    try:
        outcome = pool.submit(jobs.run, job).result()
    except Exception as error:  # the worker died
        raise CanaryFailed(f"canary: the worker grading {lesson}'s solution failed: "
                           f"{type(error).__name__}: {error}") from error
    head = f"canary: {lesson}'s own solution, graded in the students' sandbox and kernel,"
    if not outcome.ok:
        raise CanaryFailed(f"{head} was not graded ({outcome.error}); nobody was graded "
                           f"(details: {log_dir}/worker-*.log)")
    with Gradebook(db_url, course.course_id) as gb:
        sub = gb.find_submission(lesson, STUDENT)
        score, top = sub.score, sub.max_score
    if score < top:
        cause = _first_error(where / "autograded" / STUDENT / lesson)
        raise CanaryFailed(f"{head} scored {score:g}/{top:g}: {cause}; nobody was graded "
                           f"(the autograded solution: {where / 'autograded'})")
    return outcome.seconds


def kernel_python() -> str:
    """The interpreter of the grading kernel (the python3 kernel spec's; this one's if none)."""
    try:
        from jupyter_client.kernelspec import KernelSpecManager

        argv = KernelSpecManager().get_kernel_spec("python3").argv
    except Exception:  # noqa: BLE001 - no kernel spec: nbgrader would start this interpreter
        return sys.executable
    first = argv[0] if argv else sys.executable
    return shutil.which(first) or first


def check_environment() -> None:
    """The grader this command runs and the one the grading kernels import are the same
    installed package (the sandbox offers the kernels exactly that one); else a
    :class:`CourseError` saying which is which and how to fix it."""
    import autograder

    from ..sandbox import sandbox

    python = kernel_python()
    mine = Path(autograder.__file__).resolve().parent
    try:
        theirs = sandbox.installed_packages(python, ("autograder",))["autograder"]
    except sandbox.SandboxError as error:
        raise CourseError(str(error)) from error
    if not theirs:
        raise CourseError(
            f"the grading kernel's Python ({python}) cannot import autograder: install the "
            f"course into that environment (pip install -e {mine.parent})")
    if mine not in theirs:
        raise CourseError(
            f"this command runs autograder from {mine}, but the grading kernel's Python "
            f"({python}) imports it from {theirs[0]} (installed from another copy of the "
            f"course): the kernels would grade with another grader. Install this copy into the "
            f"environment (pip install -e {mine.parent}), or run from the copy it was "
            f"installed from")
