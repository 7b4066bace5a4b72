"""Grading mutants the way ``nbgrader autograde`` grades a student (docs/mutants.md).

Each mutant is graded as a student's answer: the release notebook with the mutant in its
exercise's answer cell and the solutions in the other answer cells (mutants of different
exercises of one notebook share a submission: :func:`pack`). Two temporary courses are
generated from the lesson (:class:`autograder.grading.checks.nbgrade.TempCourse`, so the kernel is
the sandboxed, guarded one of ``nbgrader_config.py``): *visible*, whose test cells are the release's
(hidden-test regions removed), and *full*, the source as it is. Every mutant is graded by the
visible course; the ones that keep full points there are graded again by the full course. A
mutant is killed when its exercise scores less than full points.
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..base import lessons, notebooks
from ..checks import corpus, nbgrade
from .solutions import ExerciseMutant

VISIBLE, FULL = "visible", "full"
#: Submissions per nbgrader run: a run's start-up is paid once per batch; smaller batches move the
#: progress bar more often.
BATCH = 6


@dataclass
class Lesson:
    """A lesson generated twice, and what its submissions are built from."""

    name: str
    courses: dict[str, nbgrade.TempCourse]  # VISIBLE, FULL (generated when first graded)
    released: dict[str, object]  # notebook name -> release NotebookNode
    solved: dict[str, dict[str, str]]  # notebook name -> exercise -> solution
    exercises: dict[str, lessons.Exercise]


def strip_hidden(text: str) -> str:
    """A test cell's source without its hidden-tests regions (what release/ holds)."""
    kept, hidden = [], False
    for line in text.splitlines():
        if line.strip() == lessons.HIDDEN_MARKERS[0]:
            hidden = True
        elif line.strip() == lessons.HIDDEN_MARKERS[1]:
            hidden = False
        elif not hidden:
            kept.append(line)
    return "\n".join(kept)


def prepare(course: lessons.Course, lesson: str, workdir: Path) -> Lesson:
    """Generate the lesson as it is and with its hidden tests removed, in `workdir`."""
    visible_source = workdir / "visible-source"
    shutil.copytree(course.source / lesson, visible_source / lesson)
    for path in (visible_source / lesson).glob("*.ipynb"):
        nb = notebooks.read(path)
        for cell in nb.cells:
            if lessons.kind(cell) == "test":
                cell.source = strip_hidden(cell.source)
        notebooks.write(nb, path)
    courses = {
        FULL: nbgrade.TempCourse(workdir / "full", course.config, course.source),
        VISIBLE: nbgrade.TempCourse(workdir / "visible", course.config, visible_source),
    }
    courses[VISIBLE].generate(lesson)
    released, solved, exercises = {}, {}, {}
    for path in course.source_notebooks(lesson):
        source_nb = notebooks.read(path)
        released[path.stem] = notebooks.read(courses[VISIBLE].root / "release" / lesson / path.name)
        solved[path.stem] = corpus.solutions(source_nb)
        exercises.update(lessons.exercises(source_nb, lesson, path.stem))
    return Lesson(lesson, courses, released, solved, exercises)


def pack(lesson: Lesson, mutants: list[ExerciseMutant]) -> list[list[ExerciseMutant]]:
    """Submissions: each holds at most one mutant per exercise, of exercises of one notebook
    (an exercise's tests read only its own answer cell, so one submission grades several
    exercises' mutants at once: fewer kernels to start)."""
    packs: list[list[ExerciseMutant]] = []
    for m in mutants:
        notebook = lesson.exercises[m.exercise].notebook
        home = next((p for p in packs if lesson.exercises[p[0].exercise].notebook == notebook
                     and all(o.exercise != m.exercise for o in p)), None)
        if home is None:
            packs.append([m])
        else:
            home.append(m)
    return packs


def submission(lesson: Lesson, packed: list[ExerciseMutant]) -> dict:
    """The notebook a pack of mutants is submitted as (the solutions in the other cells)."""
    ex = lesson.exercises[packed[0].exercise]
    answers = dict(lesson.solved[ex.notebook])
    for m in packed:
        answers[m.exercise] = m.source
    return {ex.notebook: corpus.inject(lesson.released[ex.notebook], answers)}


def student(packed: list[ExerciseMutant]) -> str:
    return "m" + "_".join(f"{m.number:03d}" for m in packed) + f"__{packed[0].exercise}"


@dataclass
class Graded:
    """A mutant's score in one course, and the failing test cells' messages."""

    score: float | None
    points: float
    failures: list[str]

    @property
    def killed(self) -> bool:
        return self.score is None or self.score < self.points


def _run_batch(lesson: Lesson, stage: str, batch: list[list[ExerciseMutant]], where: Path
               ) -> dict[str, Graded]:
    temp = lesson.courses[stage].copy(where)  # generated by grade()
    temp.add_students([student(p) for p in batch])
    for packed in batch:
        temp.submit(lesson.name, student(packed), submission(lesson, packed))
    grading = temp.autograde(lesson.name)
    found = {}
    for packed in batch:
        for m in packed:
            ex = lesson.exercises[m.exercise]
            score = grading.exercise_score(student(packed), ex.notebook, ex.test_ids)
            found[m.id] = Graded(score, ex.points,
                                 grading.failures(student(packed), ex.notebook, ex.test_ids))
    shutil.rmtree(where, ignore_errors=True)
    return found


def grade(lesson: Lesson, stage: str, mutants: list[ExerciseMutant], workdir: Path,
          jobs: int = 2, done: Callable[[int], None] = lambda n: None) -> dict[str, Graded]:
    """Grade mutants in the `stage` course, `jobs` nbgrader runs at a time; `done(n)` after
    each batch of submissions holding n mutants."""
    if not mutants:
        return {}
    generated = lesson.courses[stage].root / "release" / lesson.name
    if not generated.exists():
        lesson.courses[stage].generate(lesson.name)
    packs = pack(lesson, mutants)
    size = max(1, min(BATCH, -(-len(packs) // max(1, jobs))))  # every job busy, when it can be
    batches = [packs[i:i + size] for i in range(0, len(packs), size)]
    results: dict[str, Graded] = {}
    lock = threading.Lock()

    def run(index: int) -> None:
        graded = _run_batch(lesson, stage, batches[index], workdir / f"{stage}-{index}")
        with lock:
            results.update(graded)
        done(sum(len(p) for p in batches[index]))

    with ThreadPoolExecutor(max(1, jobs)) as pool:
        list(pool.map(run, range(len(batches))))
    return results


def to_json(graded: Graded) -> dict:
    return json.loads(json.dumps(graded.__dict__))
