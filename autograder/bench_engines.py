"""The two engines of the benchmark (:mod:`autograder.bench`) on one program: loading the
programs (each engine runs its own copy), our engine's run, frontrun's run, their
:class:`Outcome`.

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

import atexit
import importlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
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
