"""The engine's long differential soak: ``python -m tests.engine.soak [FIRST] [COUNT]``.

Draws COUNT random programs (default 2000) from seeds FIRST, FIRST+1, ... (default 0), checks
each against the independent model (``differential.py``) and prints every disagreement with the
program's source; exits 1 if there was any. CI runs a fixed slice of the same check through
hypothesis (``test_differential.py``).
"""

from __future__ import annotations

import sys

from .differential import soak


def main(argv: list[str]) -> int:
    first = int(argv[0]) if argv else 0
    count = int(argv[1]) if len(argv) > 1 else 2000
    return 1 if soak(first, count) else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
