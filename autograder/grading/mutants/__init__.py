"""Mutation analysis of the lessons' tests (issue 20, docs/mutants.md).

``python -m autograder.grading mutants [LESSON ...]`` mutates each exercise's solution with the
concurrency operators of :mod:`.operators` (:mod:`.solutions`), grades every mutant with
``nbgrader autograde`` in the sandboxed kernel, first with the visible tests and then with the
hidden ones (:mod:`.grade`), explores the survivors with deeper scenarios (:mod:`.deeper`) and
prints the table (:mod:`.report`); :mod:`.cli` ties them together.
"""
