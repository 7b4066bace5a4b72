"""Self-study grading: corpus answers against a lesson's *visible* tests only.

A student working alone sees only the tests of ``release/``: the hidden regions are gone. Every
mistake a lesson warns about must fail one of those (docs/lessons.md, "Corpus"). This module runs
answers against the release notebook's test cells, many answers in one kernel per lesson (no
nbgrader, no gradebook): for each answer, a fresh namespace (``%reset -f``), the lesson's given
(read-only) cells, the answer, then every release test cell of its exercise. A test cell fails as
nbgrader would score it: an error output or anything written to stderr.

``python -m autograder.grading.visible [ID ...] [--all] [--json PATH]`` prints, per exercise, how
many of the corpus's wrong answers lose visible points (the catch rate).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_notebook

from ..base import lessons, notebooks
from . import corpus

#: Seconds a cell may run here (nbgrader's per-cell timeout in nbgrader_config.py).
CELL_TIMEOUT = 5
_RESET = "get_ipython().run_line_magic('reset', '-f')"


@dataclass
class TestOutcome:
    grade_id: str
    passed: bool
    error: str = ""  # the error's text, or what went to stderr


@dataclass
class VisibleGrading:
    """One answer graded against its exercise's visible tests."""

    answer: corpus.Answer
    tests: list[TestOutcome] = field(default_factory=list)
    problem: str = ""  # the answer cell itself failed, or the kernel was lost

    @property
    def caught(self) -> bool:
        """At least one visible test fails: the student loses visible points."""
        return any(not t.passed for t in self.tests)

    @property
    def errors(self) -> str:
        return "\n".join(t.error for t in self.tests if not t.passed)

    def names_mistake(self) -> bool:
        """The failing visible tests' messages name the answer's tagged mistake."""
        return bool(self.answer.mistake) and self.answer.mistake.lower() in self.errors.lower()


def _text(outputs: list) -> tuple[str, bool]:
    """What a cell's outputs say went wrong (error and stderr), and whether anything did."""
    parts, failed = [], False
    for out in outputs:
        if out.get("output_type") == "error":
            failed = True
            parts.append(f"{out.get('ename')}: {out.get('evalue')}")
        elif out.get("output_type") == "stream" and out.get("name") == "stderr":
            failed = True
            parts.append(out.get("text", ""))
    return "\n".join(parts), failed


def release_notebook(course: lessons.Course, exercise: lessons.Exercise) -> Path:
    return course.release / exercise.lesson / f"{exercise.notebook}.ipynb"


def _cells(nb: NotebookNode, exercise: lessons.Exercise) -> tuple[list[str], list[NotebookNode]]:
    """The given cells before the exercise's answer, and the exercise's test cells (release)."""
    given, tests = [], []
    found = lessons.exercises(nb, exercise.lesson, exercise.notebook)[exercise.id]
    for index, cell in enumerate(nb.cells):
        given_code = lessons.kind(cell) == "given" and cell.cell_type == "code"
        if given_code and index < found.answer_index:
            given.append(cell.source)
    for test in found.tests:
        tests.append(nb.cells[test.index])
    return given, tests


class _Kernel:
    """One kernel, restarted when a cell kills it or will not stop."""

    def __init__(self, cwd: Path):
        self.cwd = cwd
        self.client: NotebookClient | None = None
        self._ctx = None

    def run(self, source: str) -> tuple[str, bool, bool]:
        """Run source; (error text, failed, kernel lost)."""
        if self.client is None:
            nb = new_notebook(metadata={"kernelspec": {"name": "python3", "language": "python",
                                                       "display_name": "Python 3"}})
            self.client = NotebookClient(
                nb, timeout=CELL_TIMEOUT, kernel_name="python3", allow_errors=True,
                interrupt_on_timeout=True, iopub_timeout=1, shutdown_kernel="immediate",
                resources={"metadata": {"path": str(self.cwd)}},
            )
            self._ctx = self.client.setup_kernel()
            self._ctx.__enter__()
        cell = new_code_cell(source)
        self.client.nb.cells.append(cell)
        try:
            self.client.execute_cell(cell, len(self.client.nb.cells) - 1)
        except (CellTimeoutError, DeadKernelError) as error:
            self.close()
            return f"{type(error).__name__}: {error}", True, True
        text, failed = _text(cell.outputs)
        return text, failed, False

    def close(self) -> None:
        if self._ctx is not None:
            try:
                self._ctx.__exit__(None, None, None)
            except Exception:  # noqa: BLE001  a dead kernel's cleanup may fail; it is gone anyway
                pass
        self.client, self._ctx = None, None


def grade(course: lessons.Course, answers: Iterable[corpus.Answer]) -> list[VisibleGrading]:
    """Grade each answer against its exercise's visible tests, one kernel per lesson."""
    exercises = course.exercises()
    by_lesson: dict[str, list[corpus.Answer]] = {}
    for answer in answers:
        if answer.exercise not in exercises:
            raise KeyError(f"{answer.path}: no exercise {answer.exercise!r} in {course.source}")
        by_lesson.setdefault(exercises[answer.exercise].lesson, []).append(answer)
    results = []
    for lesson, group in by_lesson.items():
        kernel = _Kernel(course.release / lesson)
        try:
            for answer in group:
                # An answer that tampers (``# flag:``) may change what `%reset` leaves alone (a
                # module, `threading`, the grader): it gets a kernel of its own, so the answers
                # after it are graded as they would be alone.
                if answer.flags:
                    kernel.close()
                results.append(_grade_one(course, exercises[answer.exercise], answer, kernel))
                if answer.flags:
                    kernel.close()
        finally:
            kernel.close()
    return results


def _grade_one(course: lessons.Course, exercise: lessons.Exercise, answer: corpus.Answer,
               kernel: _Kernel) -> VisibleGrading:
    nb = notebooks.read(release_notebook(course, exercise))
    given, tests = _cells(nb, exercise)
    graded = VisibleGrading(answer)
    kernel.run(_RESET)
    for source in given:
        text, failed, _ = kernel.run(source)
        if failed:
            graded.problem = f"a given cell failed: {text}"
    # An answer that hangs or kills its kernel leaves its tests to a fresh kernel without it:
    # they fail, as they would when graded.
    text, failed, _ = kernel.run(answer.source)
    if failed:
        graded.problem = f"the answer cell failed: {text.strip()[:300]}"
    for cell in tests:
        text, failed_test, _ = kernel.run(cell.source)
        graded.tests.append(TestOutcome(notebooks.grade_id(cell), not failed_test, text))
    return graded


def wrong_answers(course: lessons.Course, lesson_ids: Iterable[str] | None = None,
                  tagged_only: bool = True, flagged: bool = False) -> list[corpus.Answer]:
    """The corpus's answers not expected to earn full points (those tagged as a lesson's
    mistake only, unless tagged_only is False), of the given lessons (all by default). Answers
    that tamper (``# flag:``) only when flagged is True: they cheat the visible tests on purpose,
    and grading catches them another way (the static scan, the guard; docs/security.md)."""
    answers, problems = corpus.load(course.corpus)
    if problems:
        raise corpus.CorpusError("; ".join(problems))
    exercises = course.exercises()
    wanted = set(lesson_ids) if lesson_ids else None
    return [
        a for a in answers
        if a.expect != "full" and a.exercise in exercises
        and (wanted is None or exercises[a.exercise].lesson in wanted)
        and (a.mistake or not tagged_only)
        and (flagged or not a.flags)
    ]


def catch_rates(results: list[VisibleGrading]) -> dict[str, tuple[int, int]]:
    """Per exercise: (wrong answers that lose visible points, wrong answers graded)."""
    rates: dict[str, list[int]] = {}
    for r in results:
        row = rates.setdefault(r.answer.exercise, [0, 0])
        row[0] += r.caught
        row[1] += 1
    return {ex: (c, n) for ex, (c, n) in sorted(rates.items())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m autograder.grading.visible",
        description="Grade the corpus's wrong answers against the visible tests only.",
    )
    parser.add_argument("lessons", nargs="*", help="lesson ids (default: all)")
    parser.add_argument("--all", action="store_true",
                        help="every answer not expected full, not only those tagged '# mistake:'")
    parser.add_argument("--flagged", action="store_true",
                        help="with --all: also the answers that tamper (# flag:), each graded in "
                             "a kernel of its own")
    parser.add_argument("--root", default=".", help="the course's root (default: .)")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args(argv)
    course = lessons.Course.at(args.root)
    started = time.perf_counter()
    results = grade(course, wrong_answers(course, args.lessons, tagged_only=not args.all,
                                                  flagged=args.flagged))
    for r in results:
        mark = "caught " if r.caught else "MISSED "
        tag = f"  [mistake: {r.answer.mistake}]" if r.answer.mistake else ""
        print(f"{mark} {r.answer.exercise}/{r.answer.name}{tag}")
    print("\nvisible-test catch rate (wrong answers that lose visible points):")
    total = [0, 0]
    for exercise, (caught, n) in catch_rates(results).items():
        print(f"  {exercise:16} {caught:3}/{n:<3}")
        total[0] += caught
        total[1] += n
    print(f"  {'all':16} {total[0]:3}/{total[1]:<3}  ({time.perf_counter() - started:.1f} s)")
    if args.json:
        Path(args.json).write_text(json.dumps([
            {"exercise": r.answer.exercise, "name": r.answer.name, "mistake": r.answer.mistake,
             "caught": r.caught, "problem": r.problem,
             "tests": [{"grade_id": t.grade_id, "passed": t.passed, "error": t.error[-2000:]}
                       for t in r.tests]}
            for r in results], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
