"""The benchmark (`python -m autograder.bench`): its programs, its JSON output and `--only`.

No timing is asserted. Our engine's side is skipped only when `autograder.explore` cannot be
imported; frontrun's side only when frontrun is not installed.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from autograder import bench, bench_engines
from autograder.bench_programs import PROGRAMS

ROOT = Path(__file__).resolve().parent.parent
ALL_VERDICTS = (*bench.VERDICTS, "inconclusive", "error")


def _ours_importable() -> bool:
    try:
        bench.import_ours()
    except bench.EngineUnavailable:
        return False
    return True


def _frontrun_importable() -> bool:
    return importlib.util.find_spec("frontrun") is not None


def _serial(program, timeout: float = 10.0):
    """Run the program's threads one after another (in a helper thread, so a block cannot hang)."""
    box: dict = {}

    def run() -> None:
        try:
            box["state"] = bench_engines.run_serially(program)
        except BaseException as exc:  # reported below
            box["error"] = exc

    helper = threading.Thread(target=run, daemon=True)
    helper.start()
    helper.join(timeout)
    assert not helper.is_alive(), "the serial run blocked"
    if "error" in box:
        raise box["error"]
    return box["state"]


# --- the programs themselves, without any engine ---------------------------------------------


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_is_well_formed(name):
    program = bench.load_program(name)
    assert program.EXPECTED in bench.VERDICTS
    assert callable(program.setup)
    assert len(program.threads) >= 2 and all(callable(t) for t in program.threads)
    assert program.invariant is None or callable(program.invariant)
    assert program.__file__.endswith(".py")  # a real file: frontrun skips code from "<...>"


@pytest.mark.parametrize("name", PROGRAMS)
def test_serial_run_satisfies_the_invariant(name):
    program = bench.load_program(name)
    state = _serial(program)
    if program.invariant is not None:
        assert program.invariant(state) is not False
    # and setup() gives fresh state every time
    assert bench.load_program(name).setup() is not state


def test_invariants_reject_the_bugs_final_states():
    for name in ("unlocked_counter", "locked_counter"):
        program = bench.load_program(name)
        state = program.setup()
        state.counter = 3  # one update lost
        with pytest.raises(AssertionError):
            program.invariant(state)
    for name in ("bounded_buffer_if", "bounded_buffer_while"):
        program = bench.load_program(name)
        state = program.setup()
        state.consumed = [1]  # an item lost
        with pytest.raises(AssertionError):
            program.invariant(state)
    bank = bench.load_program("transfer_abba").setup()
    bank.a.balance -= 30  # taken from A, never given to B
    with pytest.raises(AssertionError):
        bench.load_program("transfer_abba").invariant(bank)


def test_if_buffer_pops_an_empty_list_when_woken_after_the_item_is_gone():
    """The `if` bug on a hand-made schedule with real threads: C1 waits, P puts, C2 takes first."""
    program = bench.load_program("bounded_buffer_if")
    buf = program.setup()
    errors: list[BaseException] = []

    def consumer_1() -> None:
        try:
            buf.get()
        except IndexError as exc:
            errors.append(exc)

    c1 = threading.Thread(target=consumer_1, daemon=True)
    c1.start()
    for _ in range(500):  # until C1 waits in cond.wait() (it releases the lock there)
        with buf.cond:
            if buf.cond._waiters:  # type: ignore[attr-defined]
                # C1 is waiting. Put an item and notify, and take it back before releasing the
                # lock: C1 wakes to an empty buffer, as when the other consumer got there first.
                buf.items.append(1)
                buf.cond.notify_all()
                buf.items.pop(0)
                break
        threading.Event().wait(0.01)
    else:
        pytest.fail("consumer 1 never waited")
    c1.join(5)
    assert not c1.is_alive()
    assert errors and isinstance(errors[0], IndexError)


def test_copy_of_a_program_is_a_separate_module_outside_the_package():
    original = bench.load_program("locked_counter")
    copy = bench_engines.load_program_copy("locked_counter", prefix="_test_copy_")
    assert copy is not original and copy.Counter is not original.Counter
    # our engine does not trace files of its own package: the copy lives elsewhere
    package = Path(original.__file__).resolve().parent.parent
    assert package not in Path(copy.__file__).resolve().parents
    assert Path(copy.__file__).read_text() == Path(original.__file__).read_text()


@pytest.mark.skipif(not _ours_importable(), reason="autograder.explore cannot be imported yet")
def test_our_engine_traces_the_programs_it_is_given():
    """The lost update needs the counter's read and write traced: only then is it found."""
    outcome = bench.run_ours("unlocked_counter", repeat=1, max_executions=2000, seed=0)
    assert outcome.verdict == "invariant", outcome


def test_normalise_verdicts():
    assert bench_engines.normalise_ours("lock-order", ok=False) == "deadlock"
    assert bench_engines.normalise_ours("blocked", ok=False) == "deadlock"
    assert bench_engines.normalise_ours(None, ok=True) == "ok"
    assert bench_engines.normalise_frontrun(True, None) == "ok"
    assert bench_engines.normalise_frontrun(None, "timed out") == "inconclusive"
    assert bench_engines.normalise_frontrun(
        False, "Deadlock detected after 3 interleaving(s).") == "deadlock"
    assert bench_engines.normalise_frontrun(False, "AssertionError: lost update") == "invariant"


# --- the command line ------------------------------------------------------------------------


def _check_engine_entry(entry: dict, importable: bool) -> None:
    assert {"verdict", "executions", "seconds"} <= set(entry)
    if not importable:
        assert entry["verdict"] == "unavailable"
        return
    assert entry["verdict"] in ALL_VERDICTS
    assert entry["verdict"] in bench.VERDICTS, entry  # the engine gave a real verdict
    assert isinstance(entry["executions"], int) and entry["executions"] >= 1
    assert isinstance(entry["seconds"], float) and entry["seconds"] >= 0


def test_json_output_shape_on_one_program(tmp_path, capsys):
    out = tmp_path / "bench.json"
    assert bench.main(["--only", "locked_counter", "--repeat", "1", "--json", str(out)]) == 0
    data = json.loads(out.read_text())
    assert list(data) == ["locked_counter"]
    assert set(data["locked_counter"]) == set(bench.ENGINES)
    _check_engine_entry(data["locked_counter"]["autograder"], _ours_importable())
    _check_engine_entry(data["locked_counter"]["frontrun"], _frontrun_importable())
    printed = capsys.readouterr().out
    assert "locked_counter" in printed and "expected" in printed


def test_only_runs_just_that_program(capsys):
    assert bench.main(["--only", "unlocked_counter", "--repeat", "1"]) == 0
    printed = capsys.readouterr().out
    table = printed.split("\n\n")[1].splitlines()
    assert table[0].split()[:2] == ["program", "expected"]
    assert [row.split()[0] for row in table[2:] if not row.startswith("*")] == ["unlocked_counter"]


def test_only_twice_and_engine_choice(tmp_path):
    out = tmp_path / "bench.json"
    args = ["--only", "two_lock_deadlock", "--only", "transfer_abba", "--repeat", "1"]
    assert bench.main([*args, "--engine", "frontrun", "--json", str(out), "--quiet"]) == 0
    data = json.loads(out.read_text())
    assert list(data) == ["two_lock_deadlock", "transfer_abba"]
    for per in data.values():
        assert list(per) == ["frontrun"]
        _check_engine_entry(per["frontrun"], _frontrun_importable())
        if _frontrun_importable():
            assert per["frontrun"]["verdict"] == "deadlock"


def test_unknown_program_is_refused():
    with pytest.raises(SystemExit) as exc:
        bench.main(["--only", "no_such_program"])
    assert exc.value.code == 2


@pytest.mark.skipif(not _frontrun_importable(), reason="frontrun is not installed")
def test_isolated_frontrun_agrees_with_in_process(tmp_path):
    out = tmp_path / "bench.json"
    cmd = [sys.executable, "-m", "autograder.bench", "--only", "unlocked_counter", "--repeat", "1"]
    subprocess.run(
        [*cmd, "--engine", "frontrun", "--isolate", "--json", str(out), "--quiet"],
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    entry = json.loads(out.read_text())["unlocked_counter"]["frontrun"]
    assert entry["verdict"] == "invariant"
    assert entry["executions"] >= 1


@pytest.mark.skipif(not _frontrun_importable(), reason="frontrun is not installed")
def test_frontrun_leaves_threading_as_it_found_it():
    before = bench._global_hooks()
    runner = bench.Frontrun()
    outcome = runner.run("locked_counter", repeat=1, max_executions=100)
    assert outcome.verdict == "ok"
    assert bench.changed_hooks(before) == []
