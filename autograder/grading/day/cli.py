"""``python -m autograder.grading day``: argument handling and the printed report."""

from __future__ import annotations

import argparse
import sys

from rich.console import Console
from rich.markup import escape

from .config import CourseError
from .pipeline import Stopped, grading_day
from .table import status_table, summary


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "day", help="grading day: collect, autograde in parallel, feedback, release, export",
        description="Collect a lesson, autograde every submission without a complete grade in "
        "parallel, write and release feedback, export grades.csv; a killed run is resumed by "
        "running the same command again. Before grading anyone, the lesson's own solution is "
        "graded in the same sandbox and kernel (the canary): if it does not earn full marks, "
        "nothing is graded. Exit status 0 when no submission is 'not graded' (a grader "
        "failure), 1 when some is, 2 when the command refused to start.")
    p.add_argument("lesson", metavar="LESSON_ID")
    p.add_argument("--workers", type=int, metavar="N",
                   help="local worker processes (default: one per core)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="grade on a Dask distributed cluster (tcp://host:8786); its workers "
                   "must see the course folder at the same path and reach the gradebook")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--from-zip", metavar="PATH",
                        help="collect from a zip holding <student id>/<notebook>.ipynb")
    source.add_argument("--no-collect", action="store_true",
                        help="grade what is in submitted/ already")
    p.add_argument("--force", action="store_true",
                   help="grade every submission again, complete grades included")
    p.add_argument("--no-release", action="store_true",
                   help="write feedback but do not release it to the students")
    p.add_argument("--no-report", action="store_true",
                   help="do not write the class report (reports/LESSON_ID.html)")
    p.set_defaults(func=run)
    return p


def run(args) -> int:
    console = Console(stderr=True)
    if args.workers is not None and args.workers < 1:
        console.print("--workers must be at least 1")
        return 2
    collect = None if args.no_collect else ("zip" if args.from_zip else "exchange")
    try:
        report = grading_day(args.root, args.lesson, workers=args.workers,
                             scheduler=args.scheduler, collect=collect, zip_path=args.from_zip,
                             force=args.force, release=not args.no_release, console=console,
                             class_report=not args.no_report)
    except CourseError as error:  # the canary's and the environment's causes too: one line
        console.print(f"[red]error:[/red] {escape(str(error))}", soft_wrap=True,
                      highlight=False)
        return 2
    except Stopped as stop:
        console.print(f"[red]{stop}[/red]: grades written so far are kept; run the same command "
                      "again to grade the rest")
        return 130
    out = Console(file=sys.stdout, width=max(Console().width, 120))
    out.print(status_table(report))
    if report.class_report is not None:
        from .report import summary_table

        out.print(summary_table(report.class_report))
        out.print(f"class report: {report.report_path}")
    for note in report.notes:
        out.print(note)
    out.print(summary(report))
    return 0 if report.ok else 1
