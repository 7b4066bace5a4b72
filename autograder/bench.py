"""Benchmark: our interleaving engine against frontrun (a DPOR-based peer on PyPI), same programs.

    python -m autograder.bench [--json PATH] [--only NAME] [--repeat N]

Every program of :mod:`autograder.bench_programs` is explored by our engine
(``autograder.explore``) and by ``frontrun.explore`` (version 0.7.0), in this process, one after
the other. Per program one row: the expected outcome, each engine's verdict (normalised to
``ok`` / ``invariant`` / ``exception`` / ``deadlock``), how many executions (schedules) it ran,
its wall time (best of ``--repeat``), and the ratio of the two times. ``docs/benchmark.md`` says
how to read it.

How frontrun is driven (found in its 0.7.0 source; see docs/benchmark.md):

* ``frontrun._cooperative.patch_locks()`` must be in force when the program's locks are made, so
  the bench loads a *separate copy* of each program file (another module name, through
  importlib) while patched, and calls ``frontrun.explore`` while patched; it unpatches right
  after, so our engine always sees the real ``threading`` (our engine is imported first: it
  captures the real primitives at import time).
* ``frontrun.explore(setup, workers, invariant, preemption_bound=None, clock="virtual",
  detect_io=False, reproduce_on_failure=0, max_executions=N)``. ``preemption_bound=None`` is
  its full (unbounded) DPOR, comparable to an exhaustive search; its default is 2.
  ``clock="virtual"`` is needed for ``Condition.wait``: with the default real clock a waiting
  thread spins on its scheduler turn and the first execution times out. No I/O here, so no I/O
  detection; no replays of the counterexample (they would be counted in its time).
* Its result (``InterleavingResult``): ``property_holds`` True (pass), False (failure) or None
  (inconclusive); ``num_explored``; a deadlock is a failure whose ``explanation`` starts with
  ``"Deadlock detected"``. An exception in a worker is not recorded: it propagates out of
  ``explore``; the bench counts executions then by counting ``setup()`` calls.
"""

from __future__ import annotations

import argparse
import atexit
import importlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from autograder.bench_programs import PROGRAMS

ENGINES = ("autograder", "frontrun")
#: The normalised verdicts. A row may also read ``inconclusive`` (the engine gave no verdict),
#: ``error`` (the engine itself failed) or ``unavailable`` (the engine could not be imported).
VERDICTS = ("ok", "invariant", "exception", "deadlock")
FRONTRUN_VERSION = "0.7.0"

#: Our engine's verdicts, normalised. ``lock-order`` (a lock-order cycle: a deadlock that some
#: schedule reaches), ``blocked`` (threads wait forever without a lock cycle, e.g. on a
#: condition) and ``spin`` (a thread busy-waits forever) all mean the program cannot finish.
_OURS_VERDICTS = {
    "ok": "ok",
    "invariant": "invariant",
    "exception": "exception",
    "error": "exception",
    "deadlock": "deadlock",
    "lock-order": "deadlock",
    "blocked": "deadlock",
    "spin": "deadlock",
    "livelock": "deadlock",
}


class EngineUnavailable(Exception):
    """The engine cannot be imported: its column reads ``unavailable``."""


# ---------------------------------------------------------------------------------------------
# Programs
# ---------------------------------------------------------------------------------------------


def load_program(name: str) -> ModuleType:
    """The program module ``autograder.bench_programs.<name>`` (the copy our engine runs)."""
    if name not in PROGRAMS:
        raise KeyError(f"no benchmark program {name!r}; there are: {', '.join(PROGRAMS)}")
    return importlib.import_module(f"autograder.bench_programs.{name}")


_copy_dir: str | None = None


def program_file(name: str) -> str:
    """The program's file, copied once per process into a temporary folder; that copy's path.

    Engines run a program from this copy, not from ``autograder/bench_programs/``: our engine
    never traces code under its own package folder (nor the stdlib, nor site-packages), as it
    must not trace itself, so a program it should explore has to live elsewhere, as a student's
    code does. frontrun runs the same copy, so both engines trace the same file.
    """
    global _copy_dir
    original = load_program(name).__file__
    assert original is not None
    if _copy_dir is None:
        _copy_dir = tempfile.mkdtemp(prefix="autograder-bench-")
        atexit.register(shutil.rmtree, _copy_dir, True)
    path = os.path.join(_copy_dir, f"{name}.py")
    if not os.path.exists(path):
        shutil.copyfile(original, path)
    return path


def load_program_copy(name: str, prefix: str = "_bench_copy_") -> ModuleType:
    """A fresh, separate module made from :func:`program_file`, under the name ``prefix + name``.

    Module-level code runs again, so whatever it defines is made under the ``threading`` in
    force now (frontrun's patched one, when called under ``patch_locks()``).
    """
    path = program_file(name)
    mod_name = f"{prefix}{name}"
    spec = importlib.util.spec_from_file_location(mod_name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[mod_name] = module
    spec.loader.exec_module(module)
    return module


def run_serially(program: ModuleType) -> Any:
    """Run the program's threads one after another in this thread, in list order; return the state.

    No engine: this checks the program itself (its serial run must satisfy its invariant).
    """
    state = program.setup()
    for body in program.threads:
        body(state)
    return state


# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one engine said about one program, with the best time of the repeats."""

    verdict: str
    executions: int | None = None
    seconds: float | None = None
    raw_verdict: str | None = None
    first_failure_seconds: float | None = None
    first_failure_measured: bool = False
    exhaustive: bool | None = None
    stable: bool = True
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "verdict": self.verdict,
            "executions": self.executions,
            "seconds": self.seconds,
            "raw_verdict": self.raw_verdict,
        }
        if self.first_failure_seconds is not None:
            out["first_failure_seconds"] = self.first_failure_seconds
            out["first_failure_measured"] = self.first_failure_measured
        if self.exhaustive is not None:
            out["exhaustive"] = self.exhaustive
        if not self.stable:
            out["stable"] = False
        if self.error:
            out["error"] = self.error
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Outcome:
        fields = {k: data[k] for k in cls.__dataclass_fields__ if k in data}  # type: ignore[attr-defined]
        return cls(**fields)


def _best_of(repeat: int, once: Callable[[], tuple[Outcome, float]]) -> Outcome:
    """Run ``once`` ``repeat`` times; keep the first outcome and the smallest times."""
    first: Outcome | None = None
    best = float("inf")
    best_first_failure = float("inf")
    for _ in range(max(1, repeat)):
        outcome, seconds = once()
        if first is None:
            first = outcome
        elif (outcome.verdict, outcome.executions) != (first.verdict, first.executions):
            first.stable = False
        best = min(best, seconds)
        if outcome.first_failure_seconds is not None:
            best_first_failure = min(
                best_first_failure,
                outcome.first_failure_seconds if outcome.first_failure_measured else seconds,
            )
        if outcome.verdict in ("error", "unavailable", "inconclusive"):
            break
    assert first is not None
    first.seconds = best
    if first.first_failure_seconds is not None:
        first.first_failure_seconds = best_first_failure
    return first


# ---------------------------------------------------------------------------------------------
# Our engine
# ---------------------------------------------------------------------------------------------


def import_ours() -> Callable[..., Any]:
    """``autograder.explore``, or :class:`EngineUnavailable` with the reason."""
    try:
        from autograder import explore  # type: ignore[attr-defined]
    except ImportError as exc:
        raise EngineUnavailable(
            f"autograder.explore cannot be imported ({exc}); our engine is not there yet"
        ) from exc
    return explore


def normalise_ours(raw: str | None, ok: bool) -> str:
    if raw is None:
        return "ok" if ok else "invariant"
    return _OURS_VERDICTS.get(raw, raw)


_ours_copies: dict[str, ModuleType] = {}


def run_ours(name: str, *, repeat: int, max_executions: int, seed: int) -> Outcome:
    try:
        explore = import_ours()
    except EngineUnavailable as exc:
        return Outcome(verdict="unavailable", error=str(exc))
    program = _ours_copies.get(name)
    if program is None:  # our engine's own copy, made once, with the real threading
        program = _ours_copies[name] = load_program_copy(name, prefix="_autograder_bench_")

    def once() -> tuple[Outcome, float]:
        start = time.perf_counter()
        try:
            result = explore(
                program.setup,
                list(program.threads),
                program.invariant,
                max_executions=max_executions,
                seed=seed,
            )
        except Exception as exc:  # the engine itself failed on this program
            seconds = time.perf_counter() - start
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            return Outcome(verdict="error", raw_verdict=type(exc).__name__, error=detail), seconds
        seconds = time.perf_counter() - start
        raw = getattr(result, "verdict", None)
        ok = bool(getattr(result, "ok", raw == "ok"))
        verdict = normalise_ours(raw, ok)
        outcome = Outcome(
            verdict=verdict,
            executions=getattr(result, "executions", None),
            raw_verdict=raw,
            exhaustive=getattr(result, "exhaustive", None),
        )
        if verdict != "ok":
            measured = getattr(result, "first_failure_seconds", None)
            if measured is not None:
                outcome.first_failure_seconds = float(measured)
                outcome.first_failure_measured = True
            else:  # not exposed: the time to the result stands for it
                outcome.first_failure_seconds = seconds
        return outcome, seconds

    return _best_of(repeat, once)


# ---------------------------------------------------------------------------------------------
# frontrun
# ---------------------------------------------------------------------------------------------


def frontrun_version() -> str | None:
    try:
        from importlib.metadata import version

        return version("frontrun")
    except Exception:
        return None


def normalise_frontrun(property_holds: bool | None, explanation: str | None) -> str:
    if property_holds is True:
        return "ok"
    if property_holds is None:
        return "inconclusive"
    head = (explanation or "").lstrip()
    if head.startswith("Deadlock detected") or head.lower().startswith(
        ("deadlock", "row-lock deadlock")
    ):
        return "deadlock"
    return "invariant"


def _raised_in(exc: BaseException, filename: str) -> bool:
    """Whether the exception was raised from code in ``filename`` (the program), not the engine."""
    tb = exc.__traceback__
    found = False
    while tb is not None:
        if os.path.abspath(tb.tb_frame.f_code.co_filename) == os.path.abspath(filename):
            found = True
        tb = tb.tb_next
    return found


def frontrun_options(preemption_bound: int | None, max_executions: int) -> dict[str, Any]:
    """The keyword arguments given to ``frontrun.explore`` (the module docstring says why)."""
    return {
        "preemption_bound": preemption_bound,
        "max_executions": max_executions,
        "clock": "virtual",
        "detect_io": False,
        "reproduce_on_failure": 0,
        "stop_on_first": True,
    }


class Frontrun:
    """frontrun, driven as the module docstring says."""

    def __init__(self, *, preemption_bound: int | None = None) -> None:
        try:
            import frontrun
            from frontrun._cooperative import patch_locks, unpatch_locks
        except ImportError as exc:
            raise EngineUnavailable(
                f"frontrun is not installed ({exc}); `pip install frontrun=={FRONTRUN_VERSION}` "
                "to compare with it"
            ) from exc
        self.frontrun = frontrun
        self.patch_locks = patch_locks
        self.unpatch_locks = unpatch_locks
        self.preemption_bound = preemption_bound
        self.version = frontrun_version()
        self._copies: dict[str, ModuleType] = {}

    def options(self, max_executions: int) -> dict[str, Any]:
        return frontrun_options(self.preemption_bound, max_executions)

    def program(self, name: str) -> ModuleType:
        """frontrun's own copy of the program, defined while its locks are patched."""
        if name not in self._copies:
            self.patch_locks()
            try:
                self._copies[name] = load_program_copy(name, prefix="_frontrun_bench_")
            finally:
                self.unpatch_locks()
        return self._copies[name]

    def run(self, name: str, *, repeat: int, max_executions: int) -> Outcome:
        program = self.program(name)
        path = program.__file__
        assert path is not None
        user_invariant = program.invariant

        def invariant(state: Any) -> bool:
            # frontrun wants a truthy value; ours: None passes, False or AssertionError fails.
            if user_invariant is None:
                return True
            return user_invariant(state) is not False

        options = self.options(max_executions)

        def once() -> tuple[Outcome, float]:
            setups = [0]

            def setup() -> Any:
                setups[0] += 1
                return program.setup()

            self.patch_locks()
            start = time.perf_counter()
            try:
                result = self.frontrun.explore(setup, list(program.threads), invariant, **options)
            except Exception as exc:
                seconds = time.perf_counter() - start
                detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
                if _raised_in(exc, path):
                    outcome = Outcome(verdict="exception", executions=setups[0], raw_verdict=detail)
                else:
                    outcome = Outcome(
                        verdict="error",
                        executions=setups[0],
                        raw_verdict=type(exc).__name__,
                        error=detail,
                    )
                return outcome, seconds
            finally:
                self.unpatch_locks()
            seconds = time.perf_counter() - start
            verdict = normalise_frontrun(result.property_holds, result.explanation)
            raw = {
                True: "property_holds=True",
                False: "property_holds=False",
                None: "property_holds=None",
            }[result.property_holds]
            if verdict == "inconclusive":
                raw += f" ({result.inconclusive_reason})"
            elif verdict == "deadlock":
                raw += " (" + (result.explanation or "").strip().splitlines()[0] + ")"
            return Outcome(
                verdict=verdict, executions=result.num_explored, raw_verdict=raw
            ), seconds

        return _best_of(repeat, once)


def run_frontrun_isolated(
    name: str, *, repeat: int, max_executions: int, preemption_bound: int | None
) -> Outcome:
    """frontrun's side in a child process of this interpreter (``--isolate``)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "frontrun.json")
        cmd = [
            sys.executable,
            "-m",
            "autograder.bench",
            "--engine",
            "frontrun",
            "--only",
            name,
            "--repeat",
            str(repeat),
            "--max-executions",
            str(max_executions),
            "--json",
            out,
            "--quiet",
        ]
        if preemption_bound is not None:
            cmd += ["--frontrun-preemption-bound", str(preemption_bound)]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0 or not os.path.exists(out):
            return Outcome(verdict="error", error=(proc.stderr or proc.stdout).strip()[-2000:])
        with open(out) as fh:
            data = json.load(fh)
    return Outcome.from_json(data[name]["frontrun"])


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
