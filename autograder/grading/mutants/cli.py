"""``python -m autograder.grading mutants [LESSON ...] [--json PATH]`` (docs/mutants.md)."""

from __future__ import annotations

import argparse
import ast
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..base import lessons, notebooks
from ..base.progress import progress
from ..checks import corpus
from . import deeper, equivalent, grade, operators, report, solutions


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("mutants", help="mutation analysis: grade concurrency mutants of every "
                       "solution (docs/mutants.md)")
    p.add_argument("ids", nargs="*", metavar="LESSON")
    p.add_argument("--json", metavar="PATH", help="write every mutant's outcome as JSON")
    p.add_argument("--exercise", action="append", default=[], metavar="EX",
                   help="only this exercise (repeatable)")
    p.add_argument("--operator", action="append", default=[], metavar="OP",
                   choices=sorted(operators.BY_NAME), help="only this operator (repeatable)")
    p.add_argument("--jobs", type=int, default=2, help="nbgrader runs at a time (default 2)")
    p.add_argument("--keep", metavar="DIR", help="keep the graded courses in DIR")
    return p


def _baseline(lesson: str, exercise: str, source: str) -> solutions.ExerciseMutant:
    """The solution itself, graded beside its mutants: it must keep full points."""
    text = ast.unparse(ast.parse(source))
    return solutions.ExerciseMutant(lesson, exercise, 0, operators.Mutant("none", 0, 0, text))


def _exercises(course: lessons.Course, lesson: str, only: list[str]) -> dict[str, str]:
    found = {}
    for path in course.source_notebooks(lesson):
        for exercise, source in corpus.solutions(notebooks.read(path)).items():
            if not only or exercise in only:
                found[exercise] = source
    return found


def run_lesson(course: lessons.Course, lesson: str, workdir: Path, only: list[str],
               ops, jobs: int, listed: dict) -> tuple[list[report.Outcome], list[str]]:
    """Every mutant's outcome in one lesson, and problems (a solution that loses points)."""
    sols = _exercises(course, lesson, only)
    mutants = solutions.of_lesson(course, lesson, list(sols), ops)
    if not mutants:
        return [], []
    baselines = [_baseline(lesson, ex, src) for ex, src in sols.items()]
    prepared = grade.prepare(course, lesson, workdir)
    outcomes, problems = [], []
    with progress(len(mutants) + len(baselines), f"{lesson}: visible tests") as advance:
        visible = grade.grade(prepared, grade.VISIBLE, baselines + mutants, workdir, jobs,
                              advance)
    alive = [m for m in mutants if not visible[m.id].killed]
    again = baselines + alive if alive else []  # the solution, when there is something to grade
    with progress(len(again), f"{lesson}: hidden tests") as advance:
        full = grade.grade(prepared, grade.FULL, again, workdir, jobs, advance)
    for b in baselines:
        for stage, graded in ((grade.VISIBLE, visible), (grade.FULL, full)):
            g = graded.get(b.id)
            if g is None:
                continue
            if g.killed:
                problems.append(f"{lesson} {b.exercise}: the solution scored {g.score}/"
                                f"{g.points:g} on the {stage} tests: {g.failures[:2]}")
    survivors = [m for m in alive if not full[m.id].killed]
    with progress(len(survivors), f"{lesson}: deeper exploration") as advance:
        def explore(m):
            found = deeper.explore_deeper(deeper.request(course, lesson, m.exercise, m.source))
            advance(1)
            return found
        with ThreadPoolExecutor(max(1, jobs)) as pool:
            findings = dict(zip([m.id for m in survivors], pool.map(explore, survivors),
                                strict=True))
    for m in mutants:
        if visible[m.id].killed:
            fate, details = report.VISIBLE, visible[m.id].failures
        elif full[m.id].killed:
            fate, details = report.HIDDEN, full[m.id].failures
        else:
            entry = equivalent.listed(listed, m.id, m.source)
            details = findings[m.id]
            if entry is not None and not details:
                fate, details = report.EQUIVALENT, [entry.reason]
            else:
                fate = report.SURVIVED
                if not details:
                    details = ["the deeper exploration finds nothing: list it in "
                               f"{equivalent.PATH} with a reason and source = "
                               f'"{equivalent.fingerprint(m.source)}" if it is equivalent']
        outcomes.append(report.Outcome(lesson, m.exercise, m.id, m.mutant.operator,
                                       m.mutant.line, fate, details, m.source))
    return outcomes, problems


def cmd_mutants(args, course: lessons.Course, lesson_ids: list[str]) -> int:
    ops = tuple(operators.BY_NAME[name] for name in args.operator) or operators.OPERATORS
    listed = equivalent.load(course.root / equivalent.PATH)
    outcomes, problems, exercises = [], [], []
    for lesson in lesson_ids:
        exercises += [(lesson, ex) for ex in _exercises(course, lesson, args.exercise)]
        with tempfile.TemporaryDirectory(prefix=f"mutants-{lesson}-") as tmp:
            workdir = Path(args.keep).resolve() / lesson if args.keep else Path(tmp)
            workdir.mkdir(parents=True, exist_ok=True)
            found, trouble = run_lesson(course, lesson, workdir, args.exercise, ops,
                                        args.jobs, listed)
        outcomes += found
        problems += trouble
        if args.json:  # after each lesson, so that a long run's finished lessons are kept
            report.write_json(Path(args.json), report.rows(outcomes, exercises), outcomes)
    table = report.rows(outcomes, exercises)
    report.print_table(table, outcomes)
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    if args.json:
        report.write_json(Path(args.json), table, outcomes)
    survived = sum(r.survived for r in table)
    return 1 if survived or problems else 0
