"""Benchmarks of the grading: ``grading_day`` (serial ``nbgrader autograde`` against the parallel
grading day: ``python -m autograder.grading.bench``) and ``security`` (what the guard and the
sandbox cost: ``python -m autograder.grading.bench.security``)."""
