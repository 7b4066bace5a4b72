"""Layer 1, the leaves: what every other layer may use, importing nothing else of the engine.

``_real`` (the real primitives, captured before anything is patched), ``_seal`` (modules and
classes the code under test cannot rewrite), ``errors`` (what an execution raises and reports)
and ``trace`` (a schedule's trace as plain data, shared with ``course``). These modules import
only the standard library and each other.
"""

from __future__ import annotations

from ._seal import seal

seal(__name__)  # the code under test cannot rewrite the grader
