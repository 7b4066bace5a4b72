"""Layer 4, exploration: which executions to run and what they mean.

``options`` (:class:`Options`), ``runner`` (runs one execution with the patches in place),
``dpor`` (the search over interleavings that matter), ``schedulers`` (one per file), ``search``
(``explore``, ``replay``, ``run_once``), ``result`` and ``report`` (what a student reads),
``analysis`` (deadlock cycles, lock order, names), ``manual`` (a person schedules). It imports
the layers below: :mod:`autograder.base`, :mod:`autograder.runtime`, :mod:`autograder.sync`.
(Not named ``explore``: that is the function ``autograder.explore``.)
"""

from __future__ import annotations

from ..base._seal import seal

seal(__name__)  # the code under test cannot rewrite the grader
