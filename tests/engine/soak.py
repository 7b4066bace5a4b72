"""The engine's long differential soak: ``python -m tests.engine.soak [FIRST] [COUNT]``.

Draws COUNT random programs (default 2000) from seeds FIRST, FIRST+1, ... (default 0), of the
classic and the shared-state families (``randprog.py``), checks each against the independent
model (``differential.py``) and prints every disagreement: what the engine missed, the model's
schedule to it forced on real threads (``realthreads.py``: CONFIRMED when real Python ends
there too), the program as data (to paste into ``test_memory_model_regressions.py``) and its
source; exits 1 if there was any. CI runs a fixed slice of the same check through hypothesis
(``test_differential.py``).
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
