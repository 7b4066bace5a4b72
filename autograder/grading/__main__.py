"""Instructor commands for the lessons (run from the repository root, environment active).

    python -m autograder.grading release [ID ...]   regenerate release/<id>/ from source/<id>/
    python -m autograder.grading clean [PATH ...]   strip outputs, execution counts, widget state
    python -m autograder.grading grade ID [EX ...]  autograde the lesson's corpus; scores, times
    python -m autograder.grading check [ID ...]     every lesson check (pytest tests/lessons)
    python -m autograder.grading setup              before the first release: the exchange
                                                    (mode 1777), the grading environment checked
    python -m autograder.grading day ID             grading day: collect, autograde in parallel,
                                                    feedback, release, export (--help)
    python -m autograder.grading mutants [ID ...]   mutation analysis of the tests (--help)
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from .base import lessons, notebooks
from .checks import checks, corpus


def _course(args) -> lessons.Course:
    root = Path(args.root).resolve()
    course = lessons.Course.at(root)
    if not course.config.exists():
        sys.exit(f"{course.config} not found: run from the repository root or pass --root")
    return course


def _lesson_ids(course: lessons.Course, ids: list[str]) -> list[str]:
    known = course.lessons()
    for lid in ids:
        if lid not in known:
            names = ", ".join(known) or "none"
            sys.exit(f"no lesson {lid!r} in {course.source} (lessons: {names})")
    return ids or known


def cmd_release(args) -> int:
    course = _course(args)
    for lesson in _lesson_ids(course, args.ids):
        dest = checks.write_release(course, lesson)
        print(f"wrote {dest.relative_to(course.root)}/")
    return 0


def cmd_clean(args) -> int:
    course = _course(args)
    paths = [Path(p) for p in args.paths] or checks.committed_notebooks(course) + [
        p for p in course.root.glob("*/*/*.ipynb") if p.parts[-3] in ("source", "release")
    ]
    changed = 0
    for path in sorted(set(paths)):
        if notebooks.clean_file(path):
            changed += 1
            print(f"cleaned {path}")
    print(f"{changed} notebook(s) cleaned, {len(set(paths)) - changed} already clean")
    return 0


def cmd_grade(args) -> int:
    course = _course(args)
    (lesson,) = _lesson_ids(course, [args.id])
    answers, problems = corpus.load(course.corpus)
    for problem in problems:
        print(f"corpus: {problem}")
    if args.only:
        answers = [a for a in answers if a.exercise in args.only or a.student in args.only]
    with tempfile.TemporaryDirectory(prefix="grade-") as tmp:
        workdir = Path(args.keep).resolve() if args.keep else Path(tmp)
        grading = checks.grade_lesson(course, lesson, answers, workdir, twice=args.twice)
        exercises = list(grading.exercises)
        print(f"nbgrader autograde {lesson}: {len(grading.submissions)} submissions, "
              f"{grading.first.wall:.1f} s, exit {grading.first.returncode}")
        header = "  ".join(f"{e:>14}" for e in exercises)
        print(f"{'student':44} {'s':>5}  {header}  expected")
        bad = 0
        for sub in grading.submissions:
            cells = []
            for ex in exercises:
                score = grading.score(sub.student, ex)
                shown = "-" if score is None else f"{score:g}"
                cells.append(f"{shown}/{grading.exercises[ex].points:g}")
            unmet = grading.unmet(sub)
            bad += bool(unmet)
            expect = ", ".join(f"{e} {x}" for e, x in sub.expect.items() if len(sub.expect) == 1)
            seconds = grading.first.seconds.get(sub.student, float("nan"))
            print(f"{sub.student:44} {seconds:5.1f}  " + "  ".join(f"{c:>14}" for c in cells)
                  + f"  {expect}{'  <-- NOT MET' if unmet else ''}")
            for line in unmet:
                print("    " + line)
        for problem in grading.missing() + grading.slow() + grading.nondeterministic():
            print(problem)
            bad += 1
        if args.keep:
            print(f"graded course kept in {workdir} (autograded notebooks in first-*/autograded/)")
        return 1 if bad else 0


def cmd_check(args) -> int:
    command = [sys.executable, "-m", "pytest", "-q", str(Path(args.root) / "tests" / "lessons")]
    if args.ids:
        command += ["-k", " or ".join(args.ids)]
    return subprocess.call(command + args.pytest_args)


def cmd_setup(args) -> int:
    """The exchange world-writable with the sticky bit, before ``nbgrader release_assignment``
    creates it without (0777); the grader the kernels import and the sandbox checked."""
    from .day import canary, setup
    from .day.config import CourseError, load
    from .sandbox import sandbox

    try:
        course = load(args.root)
        exchange = setup.ensure_exchange(course)
        canary.check_environment()
    except CourseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if exchange is None:
        print("no exchange: nbgrader_config.py sets no c.Exchange.root")
    else:
        print(f"exchange: {exchange} (mode 1777: every student may submit, none may remove or "
              "read another's submission)")
    if course.config.GradingKernelManager.get("sandbox", True):
        ok, said = sandbox.works()
        print(f"sandbox: {said}")
        if not ok:
            return 2
    print("next: nbgrader generate_assignment ID, then nbgrader release_assignment ID")
    return 0


def cmd_mutants(args) -> int:
    from .mutants.cli import cmd_mutants as run

    course = _course(args)
    return run(args, course, _lesson_ids(course, args.ids))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.grading", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", default=".", help="the repository root (default: .)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("release", help="regenerate release/<id>/ from source/<id>/")
    p.add_argument("ids", nargs="*", metavar="ID")
    p.set_defaults(func=cmd_release)
    p = sub.add_parser("clean", help="strip outputs, execution counts and widget state")
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.set_defaults(func=cmd_clean)
    p = sub.add_parser("grade", help="autograde a lesson's corpus and print the scores")
    p.add_argument("id", metavar="ID")
    p.add_argument("only", nargs="*", metavar="EXERCISE",
                   help="grade only these exercises' answers (or <exercise>__<name> answers)")
    p.add_argument("--twice", choices=("all", "sample", "none"), default="none",
                   help="grade (these) submissions a second time and compare (default: none)")
    p.add_argument("--keep", metavar="DIR", help="grade in DIR (new) and keep it to inspect")
    p.set_defaults(func=cmd_grade)
    p = sub.add_parser("check", help="run the lesson checks (pytest tests/lessons)")
    p.add_argument("ids", nargs="*", metavar="ID", help="lesson or exercise ids (pytest -k)")
    p.add_argument("--pytest-args", nargs=argparse.REMAINDER, default=[],
                   help="passed on to pytest")
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("setup", help="before the first release: make the exchange (mode "
                       "1777) and check the grading environment")
    p.set_defaults(func=cmd_setup)
    from .day.cli import add_parser as add_day_parser

    add_day_parser(sub)
    from .mutants.cli import add_parser as add_mutants_parser

    add_mutants_parser(sub).set_defaults(func=cmd_mutants)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
