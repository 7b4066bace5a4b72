"""Layer 2, the runtime: one execution of threads handing a baton, and what stops them.

``ops`` (what a thread is about to do, and which pairs of ops race), ``execution`` (the
:class:`~autograder.runtime.execution.Execution` and its step records), ``threads`` (its managed
threads), ``tracing`` with ``points``, ``stack`` and ``access`` (the scheduling points of traced
code, and what each touches). It imports only :mod:`autograder.base`.
"""

from __future__ import annotations

from ..base._seal import seal

seal(__name__)  # the code under test cannot rewrite the grader
