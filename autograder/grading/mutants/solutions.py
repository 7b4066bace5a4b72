"""The mutants of a lesson: each exercise's solution (the source notebook's answer cell, as
:func:`autograder.grading.checks.corpus.solutions` reads it) through the operators."""

from __future__ import annotations

from dataclasses import dataclass

from ..base import lessons, notebooks
from ..checks import corpus
from . import operators


@dataclass(frozen=True)
class ExerciseMutant:
    lesson: str
    exercise: str
    number: int  # 1, 2, ... within the exercise
    mutant: operators.Mutant

    @property
    def id(self) -> str:
        """Stable within one version of the solution: exercise, operator, site."""
        return f"{self.exercise}:{self.mutant.operator}:{self.mutant.site}"

    @property
    def source(self) -> str:
        return self.mutant.source


def of_lesson(course: lessons.Course, lesson: str, exercises=None,
              ops=operators.OPERATORS) -> list[ExerciseMutant]:
    """Every mutant of the lesson's exercises (those named in `exercises`, or all)."""
    found = []
    for path in course.source_notebooks(lesson):
        nb = notebooks.read(path)
        for exercise, source in corpus.solutions(nb).items():
            if exercises and exercise not in exercises:
                continue
            for number, mutant in enumerate(operators.mutate(source, ops), 1):
                found.append(ExerciseMutant(lesson, exercise, number, mutant))
    return found
