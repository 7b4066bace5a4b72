"""The differential check: the engine's DPOR search against the independent model.

:func:`check` runs one random program both ways and returns what disagrees (empty when they
agree). The rules, from the engine's promise that "ok" is true:

- the engine never reports an outcome the model cannot reach;
- when the model reaches no failure, the engine reaches every final state the model reaches
  (so an invariant ``state != X`` fails exactly when the model says ``X`` is reachable);
- when the model reaches a failure (an exception, a bad release), the engine finds one: it stops
  an execution at its first failure, so states reachable only after one need not be seen;
- a deadlock the model reaches, the engine reaches;
- exploring the same program twice gives the same outcomes in the same number of executions.

Each end the engine misses comes with the model's schedule to it; :func:`soak` forces that
schedule on real threads (``realthreads.py``) to confirm the end is real Python behaviour.
"""

from __future__ import annotations

import faulthandler
import os
import random
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import model, realthreads
from .randdraw import RandomDraw, draw_program
from .randprog import NotConfirmable, Program, load
from .reference import Outcomes, dpor_outcomes

End = tuple[Any, ...]

#: Executions the engine may spend on one program before the check is only one-way.
LIMIT = 3000


@dataclass
class Verdict:
    """What one program's check found."""

    program: Program
    problems: list[str]
    executions: int
    reference: int
    complete: bool
    seconds: float
    #: ends of the model the engine did not reach, each with the model's schedule to it
    missed: list[tuple[End, tuple[int, ...]]] = field(default_factory=list)


def _failures(ends: set[tuple[Any, ...]]) -> set[tuple[Any, ...]]:
    return {e for e in ends if e[0] not in ("ok", "deadlock")}


def compare(ref: set[tuple[Any, ...]], got: Outcomes) -> list[str]:
    """The disagreements between the model's ends ``ref`` and the engine's outcomes."""
    seen = set(got.seen)
    problems = [f"the engine reached {e!r}, which the model cannot reach" for e in seen - ref]
    if got.diverged:
        problems.append(f"execution {got.diverged}: a DPOR replay diverged from its schedule")
    if not got.complete:
        return problems
    if _failures(ref):
        if not _failures(seen):
            problems.append(f"the model reaches failures {sorted(_failures(ref))!r}; "
                            "the engine found none")
    else:
        for e in sorted(ref - seen, key=repr):
            problems.append(f"the engine missed {e!r}")
    if ("deadlock", "", None) in ref and ("deadlock", "", None) not in seen \
            and not _failures(seen):
        problems.append("the engine missed the deadlock")
    return problems


def counterexamples(ends: dict[End, tuple[int, ...]],
                    got: Outcomes) -> list[tuple[End, tuple[int, ...]]]:
    """The model's ends the engine should have reached and did not, with their schedules: its
    failures when the engine found none, else the final states it missed (shortest first)."""
    seen = set(got.seen)
    failures = {e: p for e, p in ends.items() if e[0] not in ("ok", "deadlock")}
    if failures:
        picked = {} if _failures(seen) else failures
    else:
        picked = {e: p for e, p in ends.items() if e not in seen}
    return sorted(picked.items(), key=lambda ep: (len(ep[1]), repr(ep[0])))


def check(prog: Program, folder: Path, *, twice: bool = False) -> Verdict:
    """Run ``prog`` through the model and through the engine's DPOR; compare."""
    started = time.perf_counter()
    ends = model.explore(prog)
    ref = set(ends)
    module = load(prog, folder)
    got = dpor_outcomes(module.setup, module.THREADS, module.observe, limit=LIMIT, strict=False)
    problems = compare(ref, got)
    if twice:
        again = dpor_outcomes(module.setup, module.THREADS, module.observe, limit=LIMIT,
                              strict=False)
        if (set(again.seen), again.executions) != (set(got.seen), got.executions):
            problems.append(f"a second exploration differs: {again.executions} executions, "
                            f"not {got.executions}, or other outcomes")
    sys.modules.pop(module.__name__, None)
    missed = counterexamples(ends, got) if problems and got.complete else []
    return Verdict(prog, problems, got.executions, len(ref), got.complete,
                   time.perf_counter() - started, missed)


def confirm(v: Verdict, folder: Path, most: int = 2) -> list[str]:
    """Force the schedules of up to ``most`` missed ends on real threads; one line each."""
    lines = []
    for end, schedule in v.missed[:most]:
        try:
            got = realthreads.run(v.program, schedule, folder)
        except NotConfirmable as e:
            lines.append(f"  not confirmable on real threads ({e}): {end!r}")
            continue
        same = realthreads.same_end(got, end)
        lines.append(f"  {'CONFIRMED' if same else 'NOT confirmed'} on real threads: schedule "
                     f"{list(schedule)} -> {got!r}" + ("" if same else f", model: {end!r}"))
    return lines


#: Seconds one program's check may take in the soak before it is reported as hung.
HUNG = 600.0


@contextmanager
def _watchdog(seed: int) -> Iterator[None]:
    """Report a check that hangs (its seed and every thread's stack), then end the soak."""
    def hung() -> None:
        print(f"seed {seed}: HUNG (no answer in {HUNG:.0f}s); every thread's stack:", flush=True)
        faulthandler.dump_traceback(file=sys.stdout, all_threads=True)
        sys.stdout.flush()
        os._exit(2)

    timer = threading.Timer(HUNG, hung)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def soak(first: int, count: int, *, verbose: bool = True) -> int:
    """Check programs drawn from seeds ``first .. first + count - 1``; return disagreements."""
    bad = partial = executions = 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(first, first + count):
            prog = draw_program(RandomDraw(random.Random(seed)))
            with _watchdog(seed):
                v = check(prog, Path(tmp))
            executions += v.executions
            partial += not v.complete
            if v.problems:
                bad += 1
                print(f"seed {seed}: DISAGREES", *v.problems, *confirm(v, Path(tmp)),
                      repr(prog), prog.source(), sep="\n", flush=True)
            elif verbose and (seed - first) % 100 == 99:
                print(f"... {seed - first + 1} programs, {bad} disagreements, "
                      f"{time.perf_counter() - started:.0f}s", flush=True)
    print(f"seeds {first}..{first + count - 1}: {count} programs, {bad} disagreements, "
          f"{partial} over the {LIMIT}-execution budget (checked one way), {executions} "
          f"executions, {time.perf_counter() - started:.1f}s")
    return bad


def _smaller(prog: Program) -> list[Program]:
    """Programs with one statement (not a thread start) or one thread fewer than ``prog``."""
    out = []
    used = repr((prog.threads, prog.children))
    for p in prog.prims:
        implicit = {"W": "'w", "Q": "'q", "A": "'bwait'"}.get(p)
        if f"'{p}'" not in used and (implicit is None or implicit not in used):
            out.append(replace(prog, prims=[q for q in prog.prims if q != p],
                               preheld=[q for q in prog.preheld if q != p]))
    if len(prog.threads) > 2:
        for n in range(len(prog.threads)):
            threads = prog.threads[:n] + prog.threads[n + 1:]
            if not any(st[0] == "spawn" for st in prog.threads[n]):
                out.append(replace(prog, threads=threads))
    bodies = [("threads", n) for n in range(len(prog.threads))]
    bodies += [("children", n) for n in range(len(prog.children))]
    for where, n in bodies:
        body = getattr(prog, where)[n]
        for j, st in enumerate(body):
            if st[0] == "spawn" or (where == "threads" and len(body) == 1):
                continue
            lists = [list(b) for b in getattr(prog, where)]
            lists[n] = body[:j] + body[j + 1:]
            out.append(replace(prog, **{where: lists}))
    return out


def shrink(prog: Program, folder: Path, *, budget: float = 120.0) -> Verdict:
    """A smaller program that still disagrees (greedy: drop a statement or a thread while the
    check still finds a disagreement), with its verdict; ``budget`` seconds at most."""
    best = check(prog, folder)
    started = time.perf_counter()
    shrunk = True
    while shrunk and time.perf_counter() - started < budget:
        shrunk = False
        for smaller in _smaller(best.program):
            v = check(smaller, folder)
            if v.problems and v.missed or (v.problems and not best.missed):
                best, shrunk = v, True
                break
    return best
