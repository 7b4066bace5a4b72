"""Grading-day benchmark: plain serial ``nbgrader autograde`` against the parallel grading day.

    python -m autograder.grading.bench [--submissions N] [--lessons ID,ID] [--workers W]
                                       [--json PATH] [--keep DIR]

N synthetic submissions (default 200), spread over several lessons, each one kind of answer in
turn: right (the solutions), wrong, deadlocking, spinning, tampering (answers of the corpus,
tests/corpus/, picked by what they say they do) and a syntax error. The same class is graded
twice, in two copies of one course: serially by plain ``nbgrader autograde <lesson>`` (one
command per lesson, as an instructor would), and by grading day (autograde only, no feedback, the
same work) with W workers. The floor is plain ``nbgrader autograde`` of submissions of a notebook
with one trivial test cell: what nbgrader and a kernel cost per submission, whatever the lesson.
Prints the figures and writes them as JSON. Not a timed test; ``--submissions 6 --lessons
01_race_conditions`` is a short slice.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat

from ..base import lessons, notebooks
from ..checks import corpus, nbgrade

KINDS = ("right", "wrong", "deadlocking", "spinning", "tampering", "syntax_error")
DEFAULT_LESSONS = ("01_race_conditions", "04_event", "05_deadlock")
FLOOR_SUBMISSIONS = 10


@dataclass
class Figures:
    submissions: int
    lessons: list[str]
    workers: int
    serial_seconds: float
    parallel_seconds: float
    ratio: float
    #: seconds per submission (the parallel run): wall time, what one would wait
    seconds_per_submission: float
    #: CPU of the grading processes (the workers, nbgrader), per submission; a sandboxed kernel's
    #: CPU is not in it (bubblewrap is killed before it reaps the kernel)
    cpu_per_submission: float
    serial_cpu_per_submission: float
    floor_cpu_per_submission: float
    cpu_over_floor: float
    #: CPU time of every process on the machine (kernels included), per submission, read from
    #: /proc/stat around each run: the whole cost, on an otherwise idle machine (None off Linux)
    machine_cpu_per_submission: float | None
    serial_machine_cpu_per_submission: float | None
    #: the load average when the run began (1 min): a busy machine makes every figure worse
    load_average: float | None
    #: whether what a grading kernel imports has compiled modules cached: its read-only sandbox
    #: cannot write them, so without them every kernel compiles them again (README, Grading)
    compiled_modules: bool
    slowest_seconds: float
    slowest_submission: str
    scores_identical: bool
    differences: list[str] = field(default_factory=list)
    kinds: dict[str, int] = field(default_factory=dict)
    python: str = sys.version.split()[0]
    cores: int = os.cpu_count() or 1


def _machine_cpu() -> float | None:
    """CPU seconds all the machine's cores have been busy since boot (/proc/stat), or None."""
    try:
        with open("/proc/stat", encoding="ascii") as f:
            fields = f.readline().split()
    except OSError:
        return None
    if not fields or fields[0] != "cpu":
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


#: Modules every grading kernel imports, one of each installation (site-packages, the repository).
KERNEL_MODULES = ("ipykernel.kernelapp", "IPython.core.interactiveshell", "zmq.sugar.socket",
                  "autograder.runtime.execution", "course.bridge.failure_picture")


def compiled_modules() -> bool:
    """Whether each of :data:`KERNEL_MODULES` has its compiled module cached beside it."""
    import importlib.util

    for name in KERNEL_MODULES:
        try:
            spec = importlib.util.find_spec(name)
        except ImportError:
            return False
        if spec is None or not spec.origin or not spec.origin.endswith(".py"):
            return False
        if not os.path.exists(importlib.util.cache_from_source(spec.origin)):
            return False
    return True


def _per(delta: float | None, n: int) -> float | None:
    return None if delta is None else round(delta / n, 3)


def _cpu_children() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _cpu_all() -> float:
    s = resource.getrusage(resource.RUSAGE_SELF)
    return s.ru_utime + s.ru_stime + _cpu_children()


# -- the synthetic class ----------------------------------------------------------------------


def _pick(answers: list[corpus.Answer], kind: str) -> corpus.Answer | None:
    """A corpus answer of this kind, by its expectation, name and explanation."""
    def says(a: corpus.Answer, *words: str) -> bool:
        text = f"{a.name} {a.why}".lower()
        return any(w in text for w in words)

    rules = {
        "wrong": lambda a: a.expect == "partial" and not says(a, "tamper", "spin", "deadlock"),
        "deadlocking": lambda a: says(a, "deadlock", "never released", "waits forever",
                                      "never_released"),
        "spinning": lambda a: says(a, "spin", "busy", "forever", "poll"),
        "tampering": lambda a: says(a, "tamper"),
    }
    found = [a for a in answers if rules[kind](a)]
    # an answer named for its kind (spins_forever, busy_wait, ...) before one that mentions it
    named = {"deadlocking": ("deadlock", "never_released"), "spinning": ("spin", "busy", "poll"),
             "tampering": ("tamper",), "wrong": ()}[kind]
    found.sort(key=lambda a: (not any(w in a.name for w in named), a.name))
    return found[0] if found else None


def class_of(course: lessons.Course, lesson_ids: list[str], n: int
             ) -> list[tuple[str, str, str, dict[str, str]]]:
    """n (lesson, student, kind, answers) in turn over lessons and kinds."""
    answers, _ = corpus.load(course.corpus)
    by_exercise: dict[str, list[corpus.Answer]] = {}
    for a in answers:
        by_exercise.setdefault(a.exercise, []).append(a)
    plans = []
    for i in range(n):
        lesson = lesson_ids[i % len(lesson_ids)]
        kind = KINDS[(i // len(lesson_ids)) % len(KINDS)]
        source = notebooks.read(course.source / lesson / f"{lesson}.ipynb")
        solution = corpus.solutions(source)
        chosen = dict(solution)
        if kind == "syntax_error":
            first = next(iter(solution))
            chosen[first] = "def broken(:\n    pass\n"
        elif kind != "right":
            for exercise in solution:
                pick = _pick(by_exercise.get(exercise, []), kind) or _pick(
                    by_exercise.get(exercise, []), "wrong")
                if pick is not None:
                    chosen[exercise] = pick.source
        plans.append((lesson, f"s{i:04d}_{kind}", kind, chosen))
    return plans


# -- runs -------------------------------------------------------------------------------------


def _serial(temp: nbgrade.TempCourse, lesson_ids: list[str], n: int
            ) -> tuple[float, float, float | None]:
    t0, c0, m0 = time.perf_counter(), _cpu_children(), _machine_cpu()
    for lesson in lesson_ids:
        temp.run("autograde", lesson, "--force",
                 timeout=nbgrade.COMMAND_TIMEOUT + nbgrade.PER_SUBMISSION_TIMEOUT * n)
    m1 = _machine_cpu()
    machine = None if m0 is None or m1 is None else m1 - m0
    return time.perf_counter() - t0, _cpu_children() - c0, machine


def _parallel(root: Path, lesson_ids: list[str], workers: int
              ) -> tuple[float, float, dict, float | None]:
    from rich.console import Console

    from ..day import grading_day

    t0, c0, m0 = time.perf_counter(), _cpu_all(), _machine_cpu()
    outcomes = {}
    for lesson in lesson_ids:
        # no canary: the comparison is of grading the class, as plain nbgrader does
        report = grading_day(root, lesson, workers=workers, collect=None, feedback=False,
                             release=False, export_to=None, canary_first=False,
                             console=Console(stderr=True, quiet=True))
        for student, outcome in report.outcomes.items():
            outcomes[student] = outcome
    m1 = _machine_cpu()
    machine = None if m0 is None or m1 is None else m1 - m0
    return time.perf_counter() - t0, _cpu_all() - c0, outcomes, machine


def _floor(where: Path, config: Path) -> float:
    """CPU per submission of plain nbgrader autograde on a one-trivial-test notebook."""
    v4 = nbformat.v4
    answer = v4.new_code_cell("### BEGIN SOLUTION\nx = 1\n### END SOLUTION")
    answer.metadata["nbgrader"] = {"grade_id": "x", "solution": True, "grade": False,
                                   "locked": False, "schema_version": 3}
    test = v4.new_code_cell("assert x == 1")
    test.metadata["nbgrader"] = {"grade_id": "test_x", "solution": False, "grade": True,
                                 "locked": True, "points": 1, "schema_version": 3}
    nb = v4.new_notebook(cells=[answer, test])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    source = where / "floor-source"
    notebooks.write(nb, source / "00_floor" / "00_floor.ipynb")
    temp = nbgrade.TempCourse(where / "floor", config, source)
    temp.generate("00_floor")
    for i in range(FLOOR_SUBMISSIONS):
        temp.submit("00_floor", f"f{i:02d}", {"00_floor": nb})
    c0 = _cpu_children()
    temp.run("autograde", "00_floor", "--force")
    return (_cpu_children() - c0) / FLOOR_SUBMISSIONS


def _differences(a: dict, b: dict) -> list[str]:
    out = []
    for student in sorted(set(a) | set(b)):
        if a.get(student) != b.get(student):
            out.append(f"{student}: serial {a.get(student)} / parallel {b.get(student)}")
    return out


def run(n: int, lesson_ids: list[str], workers: int, where: Path, log=print) -> Figures:
    course = lessons.Course.at(Path.cwd())
    known = course.lessons()
    for lesson in lesson_ids:
        if lesson not in known:
            raise SystemExit(f"no lesson {lesson!r} in {course.source}")
    plans = class_of(course, lesson_ids, n)
    serial = nbgrade.TempCourse(where / "serial", course.config, course.source)
    for lesson in lesson_ids:
        serial.generate(lesson)
    for lesson, student, _, answers in plans:
        source = notebooks.read(serial.root / "release" / lesson / f"{lesson}.ipynb")
        serial.submit(lesson, student, {lesson: corpus.inject(source, answers)})
    parallel = serial.copy(where / "parallel")
    log(f"{n} submissions of {', '.join(lesson_ids)}; plain nbgrader autograde, serially ...")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    serial_wall, serial_cpu, serial_machine = _serial(serial, lesson_ids, n)
    log(f"  {serial_wall:.1f} s, {serial_cpu / n:.2f} s CPU per submission; grading day "
        f"with {workers} workers ...")
    par_wall, par_cpu, outcomes, par_machine = _parallel(parallel.root, lesson_ids, workers)
    log(f"  {par_wall:.1f} s, {par_cpu / n:.2f} s CPU per submission; the floor ...")
    floor = _floor(where, course.config)
    a = {s: serial.scores(lesson).get(s) for lesson, s, _, _ in plans}
    b = {s: parallel.scores(lesson).get(s) for lesson, s, _, _ in plans}
    diffs = _differences(a, b)
    slowest = max(outcomes.values(), key=lambda o: o.seconds) if outcomes else None
    kinds: dict[str, int] = {}
    for _, _, kind, _ in plans:
        kinds[kind] = kinds.get(kind, 0) + 1
    return Figures(
        submissions=n, lessons=lesson_ids, workers=workers,
        serial_seconds=round(serial_wall, 2), parallel_seconds=round(par_wall, 2),
        ratio=round(serial_wall / par_wall, 2),
        seconds_per_submission=round(par_wall / n, 3),
        cpu_per_submission=round(par_cpu / n, 3),
        serial_cpu_per_submission=round(serial_cpu / n, 3),
        floor_cpu_per_submission=round(floor, 3),
        cpu_over_floor=round(par_cpu / n / floor, 2) if floor else float("nan"),
        machine_cpu_per_submission=_per(par_machine, n),
        serial_machine_cpu_per_submission=_per(serial_machine, n),
        load_average=None if load is None else round(load, 2),
        compiled_modules=compiled_modules(),
        slowest_seconds=round(slowest.seconds, 2) if slowest else 0.0,
        slowest_submission=slowest.student if slowest else "",
        scores_identical=not diffs, differences=diffs[:20], kinds=kinds)


def main(argv: list[str] | None = None) -> int:
    from ..day.executors import default_workers

    parser = argparse.ArgumentParser(prog="python -m autograder.grading.bench",
                                     description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--submissions", type=int, default=200, metavar="N")
    parser.add_argument("--lessons", default=",".join(DEFAULT_LESSONS), metavar="ID,ID")
    parser.add_argument("--workers", type=int, default=default_workers(), metavar="W")
    parser.add_argument("--json", metavar="PATH", help="write the figures there")
    parser.add_argument("--keep", metavar="DIR", help="grade in DIR (new) and keep it")
    args = parser.parse_args(argv)
    if args.submissions < 1 or args.workers < 1:
        parser.error("--submissions and --workers must be at least 1")
    lesson_ids = [x for x in args.lessons.split(",") if x]
    with tempfile.TemporaryDirectory(prefix="grading-bench-") as tmp:
        where = Path(args.keep).resolve() if args.keep else Path(tmp)
        figures = run(args.submissions, lesson_ids, args.workers, where,
                      log=lambda m: print(m, file=sys.stderr, flush=True))
    data = asdict(figures)
    width = max(len(k) for k in data)
    for key, value in data.items():
        print(f"{key:{width}}  {value}")
    if args.json:
        Path(args.json).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return 0 if figures.scores_identical else 1


if __name__ == "__main__":
    sys.exit(main())
