"""Executions against Mazurkiewicz traces: ``python -m tests.engine.scaling [--brute]``.

A family of programs whose number of traces is known: ``n`` threads, each taking one lock ``m``
times to add to a shared counter. Every critical section conflicts with every other, and nothing
outside them does, so the traces are the orders of the ``n * m`` critical sections that keep each
thread's own in order: ``(n*m)! / (m!)**n``. Source-DPOR with sleep sets explores one execution
per trace here (plus any cut short by a sleep set, counted apart). ``--brute`` also counts the
traces by enumerating every schedule (small sizes only).
"""

from __future__ import annotations

import sys
import tempfile
import time
from math import factorial
from pathlib import Path

from .randprog import Program, load
from .reference import all_schedules, dpor_outcomes


def program(n: int, m: int) -> Program:
    body = [("with", "L", [("inc", "x", 1)]) for _ in range(m)]
    return Program(["L"], [], [list(body) for _ in range(n)])


def traces(n: int, m: int) -> int:
    return factorial(n * m) // factorial(m) ** n


def main(argv: list[str]) -> int:
    brute = "--brute" in argv
    print(f"{'threads':>7} {'sections':>8} {'traces':>7} {'executions':>10} {'cut short':>9} "
          f"{'seconds':>8}" + (f" {'brute traces':>12}" if brute else ""))
    with tempfile.TemporaryDirectory() as tmp:
        for n in (2, 3, 4, 5):
            for m in (1, 2, 3):
                if traces(n, m) > 2000:
                    continue
                module = load(program(n, m), Path(tmp))
                started = time.perf_counter()
                got = dpor_outcomes(module.setup, module.THREADS, module.observe, limit=5000)
                seconds = time.perf_counter() - started
                line = (f"{n:>7} {m:>8} {traces(n, m):>7} {got.executions - got.pruned:>10} "
                        f"{got.pruned:>9} {seconds:>8.2f}")
                if brute and n * m <= 4:
                    every = all_schedules(module.setup, module.THREADS, module.observe,
                                          limit=50000)
                    line += f" {len(every.traces):>12}"
                print(line, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
