"""Benchmark: our interleaving engine against frontrun (a DPOR-based peer on PyPI), same programs.

    python -m autograder.bench [--json PATH] [--only NAME] [--repeat N]

Every program of :mod:`autograder.bench_programs` is explored by our engine
(``autograder.explore``) and by ``frontrun.explore`` (version 0.7.0), in this process, one after
the other. Per program one row: the expected outcome, each engine's verdict (normalised to
``ok`` / ``invariant`` / ``exception`` / ``deadlock``), how many executions (schedules) it ran,
its wall time (best of ``--repeat``), and the ratio of the two times. ``docs/benchmark.md`` says
how to read it.

The engines are driven by :mod:`autograder.bench_engines` (which says how frontrun is driven);
this module checks that neither leaves a global hook behind, prints the table and is the command.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from typing import Any

from autograder.bench_engines import (
    ENGINES,
    FRONTRUN_VERSION,
    VERDICTS,
    EngineUnavailable,
    Frontrun,
    Outcome,
    frontrun_options,
    frontrun_version,
    import_ours,
    load_program,
    run_frontrun_isolated,
    run_ours,
)
from autograder.bench_programs import PROGRAMS

# ---------------------------------------------------------------------------------------------
# Coexistence
# ---------------------------------------------------------------------------------------------


def _global_hooks() -> dict[str, Any]:
    """What either engine patches process-wide; must be the same before and after a run."""
    import queue

    return {
        "threading.Lock": threading.Lock,
        "threading.RLock": threading.RLock,
        "threading.Condition": threading.Condition,
        "threading.Semaphore": threading.Semaphore,
        "threading.Event": threading.Event,
        "queue.Queue": queue.Queue,
        "time.sleep": time.sleep,
        "time.monotonic": time.monotonic,
        "time.perf_counter": time.perf_counter,
        "sys.gettrace()": sys.gettrace(),
        "threading trace hook": getattr(threading, "_trace_hook", None),
    }


def changed_hooks(before: dict[str, Any]) -> list[str]:
    after = _global_hooks()
    return [k for k in before if after[k] is not before[k]]


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------


def _fmt_seconds(value: float | None) -> str:
    if value is None:
        return "-"
    if value >= 100:
        return f"{value:.0f}"
    if value >= 1:
        return f"{value:.2f}"
    return f"{value:.4f}"


def _fmt_int(value: int | None) -> str:
    return "-" if value is None else str(value)


def _match(outcome: Outcome | None, expected: str) -> str:
    if outcome is None or outcome.verdict == "unavailable":
        return ""
    return "yes" if outcome.verdict == expected else "NO"


def format_table(rows: list[tuple[str, str, Outcome | None, Outcome | None]]) -> str:
    header = [
        "program",
        "expected",
        "ours",
        "match",
        "execs",
        "seconds",
        "1st fail s",
        "frontrun",
        "match",
        "execs",
        "seconds",
        "ours/fr",
    ]
    body = []
    footnote = False
    for name, expected, ours, fr in rows:
        first = "-"
        if ours is not None and ours.first_failure_seconds is not None:
            first = _fmt_seconds(ours.first_failure_seconds)
            if not ours.first_failure_measured:
                first += "*"
                footnote = True
        ratio = "-"
        if (
            ours
            and fr
            and ours.seconds
            and fr.seconds
            and ours.verdict in VERDICTS
            and fr.verdict in VERDICTS
        ):
            ratio = f"{ours.seconds / fr.seconds:.2f}"
        body.append(
            [
                name,
                expected,
                ours.verdict if ours else "-",
                _match(ours, expected),
                _fmt_int(ours.executions) if ours else "-",
                _fmt_seconds(ours.seconds) if ours else "-",
                first,
                fr.verdict if fr else "-",
                _match(fr, expected),
                _fmt_int(fr.executions) if fr else "-",
                _fmt_seconds(fr.seconds) if fr else "-",
                ratio,
            ]
        )
    widths = [max(len(str(r[i])) for r in [header, *body]) for i in range(len(header))]
    lines = [
        "  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
        for r in [header, *body]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    if footnote:
        lines.append("* time to the result: the engine does not expose first_failure_seconds")
    return "\n".join(lines)


def summary_line(engine: str, outcomes: list[tuple[str, Outcome | None]]) -> str | None:
    ran = [(exp, o) for exp, o in outcomes if o is not None and o.verdict != "unavailable"]
    if not ran:
        return None
    good = sum(1 for exp, o in ran if o.verdict == exp)
    wrong = [f"{o.verdict} for expected {exp}" for exp, o in ran if o.verdict != exp]
    line = f"{engine}: {good}/{len(ran)} verdicts match EXPECTED"
    if wrong:
        line += " (" + "; ".join(wrong) + ")"
    return line


# ---------------------------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m autograder.bench",
        description="Our interleaving engine against frontrun on the same programs.",
    )
    parser.add_argument(
        "--json", metavar="PATH", help="write {program: {engine: {verdict, executions, seconds}}}"
    )
    parser.add_argument(
        "--only",
        metavar="NAME",
        action="append",
        choices=PROGRAMS,
        help="run this program only (may be given more than once)",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, metavar="N", help="time the best of N runs (default 3)"
    )
    parser.add_argument(
        "--engine", choices=("both", *ENGINES), default="both", help="which engines to run"
    )
    parser.add_argument(
        "--max-executions",
        type=int,
        default=20_000,
        metavar="N",
        help="execution budget for each engine and program (default 20000)",
    )
    parser.add_argument("--seed", type=int, default=0, help="our engine's seed (default 0)")
    parser.add_argument(
        "--frontrun-preemption-bound",
        type=int,
        default=None,
        metavar="K",
        help="frontrun's preemption bound (default: none, its full DPOR; its own default is 2)",
    )
    parser.add_argument(
        "--isolate",
        action="store_true",
        help="run frontrun in a child process of this interpreter instead of in this one",
    )
    parser.add_argument("--quiet", action="store_true", help="print nothing but errors")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    names = list(dict.fromkeys(args.only)) if args.only else list(PROGRAMS)
    say = (lambda *a: None) if args.quiet else print

    want_ours = args.engine in ("both", "autograder")
    want_fr = args.engine in ("both", "frontrun")

    # Our engine first: it captures the real threading primitives when imported, so it must be
    # imported before frontrun's patch_locks() is ever called in this process.
    ours_note = None
    if want_ours:
        try:
            import_ours()
        except EngineUnavailable as exc:
            ours_note = str(exc)
    fr: Frontrun | None = None
    fr_note = None
    if want_fr and not args.isolate:
        try:
            fr = Frontrun(preemption_bound=args.frontrun_preemption_bound)
        except EngineUnavailable as exc:
            fr_note = str(exc)
    elif want_fr and args.isolate and frontrun_version() is None:
        fr_note = (
            f"frontrun is not installed; `pip install frontrun=={FRONTRUN_VERSION}` to compare"
        )

    say(
        f"python {sys.version.split()[0]}; best of {args.repeat}; "
        f"budget {args.max_executions} executions"
    )
    if want_ours:
        say(
            "autograder: explore(setup, threads, invariant, "
            f"max_executions={args.max_executions}, seed={args.seed})"
            if ours_note is None
            else f"autograder: NOT RUN: {ours_note}"
        )
    if want_fr:
        if fr_note is not None:
            say(f"frontrun: NOT RUN: {fr_note}; running our engine only")
        else:
            version = fr.version if fr else frontrun_version()
            if version != FRONTRUN_VERSION:
                say(
                    f"frontrun: version {version} installed; "
                    f"this benchmark was written for {FRONTRUN_VERSION}"
                )
            opts = frontrun_options(args.frontrun_preemption_bound, args.max_executions)
            where = "in a child process" if args.isolate else "in this process"
            say(
                f"frontrun {version} ({where}): explore(setup, threads, invariant, "
                + ", ".join(f"{k}={v!r}" for k, v in opts.items())
                + ")"
            )
    say("")

    results: dict[str, dict[str, Outcome | None]] = {}
    rows = []
    for name in names:
        expected = load_program(name).EXPECTED
        ours: Outcome | None = None
        fro: Outcome | None = None
        if want_ours:
            if ours_note is not None:
                ours = Outcome(verdict="unavailable", error=ours_note)
            else:
                before = _global_hooks()
                ours = run_ours(
                    name, repeat=args.repeat, max_executions=args.max_executions, seed=args.seed
                )
                leaked = changed_hooks(before)
                if leaked:
                    say(
                        f"warning: after our engine ran {name}, these are no longer what they "
                        f"were: {', '.join(leaked)}"
                    )
        if want_fr:
            if fr_note is not None:
                fro = Outcome(verdict="unavailable", error=fr_note)
            elif args.isolate:
                fro = run_frontrun_isolated(
                    name,
                    repeat=args.repeat,
                    max_executions=args.max_executions,
                    preemption_bound=args.frontrun_preemption_bound,
                )
            else:
                assert fr is not None
                before = _global_hooks()
                fro = fr.run(name, repeat=args.repeat, max_executions=args.max_executions)
                leaked = changed_hooks(before)
                if leaked:
                    say(
                        f"warning: after frontrun ran {name}, these are no longer what they were: "
                        f"{', '.join(leaked)}; rerun with --isolate"
                    )
        results[name] = {"autograder": ours, "frontrun": fro}
        rows.append((name, expected, ours, fro))
        for label, o in (("autograder", ours), ("frontrun", fro)):
            if o is not None and o.error and o.verdict == "error":
                say(f"{name}: {label} failed: {o.error}")

    say(format_table(rows))
    say("")
    for engine in ENGINES:
        line = summary_line(engine, [(exp, results[n][engine]) for n, exp, _, _ in rows])
        if line:
            say(line)
    details = []
    for name, _, ours, fro in rows:
        for label, o in (("autograder", ours), ("frontrun", fro)):
            if o is not None and o.raw_verdict and o.verdict not in ("unavailable",):
                extra = ""
                if o.exhaustive is not None and o.verdict == "ok":  # a failure stops the search
                    extra += ", exhaustive" if o.exhaustive else ", search not exhaustive"
                if not o.stable:
                    extra += "  [varied between repeats]"
                details.append(f"  {name} / {label}: {o.raw_verdict}{extra}")
    if details:
        say("raw verdicts:")
        for d in details:
            say(d)

    if args.json:
        data = {
            name: {engine: o.to_json() for engine, o in per.items() if o is not None}
            for name, per in results.items()
        }
        with open(args.json, "w") as fh:
            json.dump(data, fh, indent=2)
            fh.write("\n")
        say(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
