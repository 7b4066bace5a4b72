"""Kernels started ahead (autograder.grading.day.warm_kernels): each serves one notebook only, a
dead one is replaced, and none outlives the pool; real guarded, sandboxed kernels."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("nbgrader")

import nbformat  # noqa: E402
from traitlets.config import Config  # noqa: E402

from autograder.grading.day import executors, warm_kernels  # noqa: E402
from autograder.grading.plugins.guarded import GuardedExecute  # noqa: E402
from autograder.grading.sandbox import sandbox  # noqa: E402

if not sandbox.works()[0]:
    pytest.skip("bubblewrap does not run here", allow_module_level=True)

REPO = Path(__file__).resolve().parents[2]
#: Seconds a killed kernel has to disappear (a bound, not a pause: polled).
GONE_WITHIN = 30


def _in_a_fresh_interpreter(check: str, tmp_path: Path) -> None:
    """Run ``check(tmp_path)`` in a new interpreter. A pool hands out kernels only where no
    event loop runs in the grading thread (warm_kernels.active), and a pytest worker that has
    opened the browser tests' sync Playwright has one running in its main thread."""
    script = (f"import sys; sys.path.insert(0, {str(REPO)!r})\n"
              "from pathlib import Path\n"
              "from tests.grading import test_warm_kernels as t\n"
              f"t.{check}(Path({str(tmp_path)!r}))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=600, cwd=REPO)
    assert done.returncode == 0, done.stderr[-3000:]


def _pool():
    """This interpreter's pool, started afresh."""
    warm_kernels.disable()
    return warm_kernels.enable()


def _folder(tmp_path: Path, student: str) -> Path:
    folder = tmp_path / "autograded" / student / "lesson"
    folder.mkdir(parents=True)
    (folder / "answer.txt").write_text(student, encoding="utf-8")
    return folder


def _grade(folder: Path) -> tuple[list[str], object]:
    """Run a two-cell notebook in `folder` as autograding does; its outputs and its kernel's
    manager (None when the kernel was started for it)."""
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("print(open('answer.txt').read())"),
        nbformat.v4.new_code_cell("print('seen' if 'mine' in globals() else 'fresh')\nmine = 1"),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    config = Config()
    config.GuardedExecute.kernel_manager_class = (
        "autograder.grading.sandbox.kernel.GradingKernelManager")
    executor = GuardedExecute(config=config, timeout=60, startup_timeout=120)
    nb, _ = executor.preprocess(nb, {"metadata": {"path": str(folder)}})
    texts = [o.get("text", o.get("evalue", "")).strip() for c in nb.cells for o in c.outputs]
    return texts, executor._claimed


def _mentioning(*needles: str) -> list[int]:
    """Processes whose command line mentions one of `needles` (the kernel's folders)."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if any(n in cmd for n in needles):
            found.append(int(pid))
    return found


def _gone(*needles: str) -> bool:
    deadline = time.monotonic() + GONE_WITHIN
    while _mentioning(*needles):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_a_started_kernel_serves_one_notebook_only(tmp_path):
    _in_a_fresh_interpreter("_check_a_started_kernel_serves_one_notebook_only", tmp_path)


def _check_a_started_kernel_serves_one_notebook_only(tmp_path):
    pool = _pool()
    first, km_first = _grade(_folder(tmp_path, "alice"))
    assert first == ["alice", "fresh"]
    assert km_first is None  # nothing was started ahead yet: its own kernel, and one ahead
    assert pool.started == 1 and len(pool.waiting) == 1
    ahead = pool.waiting[0]
    second, km_second = _grade(_folder(tmp_path, "bob"))
    # bob's kernel is the one started ahead, with bob's files, and nothing of alice's
    assert second == ["bob", "fresh"]
    assert km_second is ahead.km
    assert pool.handed_out == 1 and pool.started == 2
    assert ahead not in pool.waiting and pool.waiting[0].km is not ahead.km
    # ... and it is gone with its folders once bob is graded: never handed to anyone else
    assert _gone(ahead.cwd)
    assert not os.path.exists(ahead.cwd)
    third, km_third = _grade(_folder(tmp_path, "carol"))
    assert third == ["carol", "fresh"]
    assert km_third is not None and km_third is not km_second
    warm_kernels.disable()


def test_a_kernel_that_died_while_waiting_is_replaced(tmp_path):
    _in_a_fresh_interpreter("_check_a_kernel_that_died_while_waiting_is_replaced", tmp_path)


def _check_a_kernel_that_died_while_waiting_is_replaced(tmp_path):
    pool = _pool()
    _grade(_folder(tmp_path, "alice"))
    (ahead,) = pool.waiting
    process = ahead.km.provisioner.process
    process.kill()
    process.wait(timeout=GONE_WITHIN)
    texts, km = _grade(_folder(tmp_path, "bob"))
    assert texts == ["bob", "fresh"]  # graded in a kernel started for bob instead
    assert km is None and pool.discarded == 1 and pool.handed_out == 0
    assert not os.path.exists(ahead.cwd)
    assert len(pool.waiting) == 1 and pool.waiting[0].km is not ahead.km
    warm_kernels.disable()


def test_disabling_leaves_no_kernel_behind(tmp_path):
    _in_a_fresh_interpreter("_check_disabling_leaves_no_kernel_behind", tmp_path)


def _check_disabling_leaves_no_kernel_behind(tmp_path):
    pool = _pool()
    try:
        _grade(_folder(tmp_path, "alice"))
        (ahead,) = pool.waiting
        private = ahead.km._private_dir
        assert _mentioning(ahead.cwd)
    finally:
        warm_kernels.disable()
    assert warm_kernels.active() is None
    assert _gone(ahead.cwd, private)
    assert not os.path.exists(ahead.cwd) and not os.path.exists(private)


def test_without_a_pool_each_kernel_is_started_when_needed(tmp_path):
    assert warm_kernels.active() is None
    texts, km = _grade(_folder(tmp_path, "alice"))
    assert texts == ["alice", "fresh"] and km is None


def _enabled() -> bool:
    return warm_kernels.active() is not None


@pytest.mark.parametrize("setting,expected", [("1", True), ("0", False)])
def test_grading_day_workers_start_kernels_ahead_unless_told_not_to(monkeypatch, setting,
                                                                    expected):
    monkeypatch.setenv(executors.WARM_KERNELS_ENV, setting)
    pool = executors.local_pool(1)
    try:
        assert pool.submit(_enabled).result(timeout=120) is expected
    finally:
        pool.shutdown(wait=True)
    assert warm_kernels.active() is None  # not in this process


def _grade_in_worker(folder: str) -> tuple[list[str], str, str]:
    texts, _ = _grade(Path(folder))
    (ahead,) = warm_kernels.active().waiting
    return texts, ahead.cwd, ahead.km._private_dir


def test_a_worker_that_exits_leaves_no_kernel_behind(tmp_path):
    # In a new interpreter: a worker forked from this one, which has run kernels, would inherit
    # jupyter_core's event-loop thread state (grading day forks before any kernel runs).
    script = f"""
import json, sys
sys.path.insert(0, {str(REPO)!r})
from autograder.grading.day import executors
from tests.grading.test_warm_kernels import _grade_in_worker
pool = executors.local_pool(1)
try:
    print(json.dumps(pool.submit(_grade_in_worker, {str(_folder(tmp_path, "alice"))!r}).result(
        timeout=600)))
finally:
    pool.shutdown(wait=True)
"""
    env = dict(os.environ, **{executors.WARM_KERNELS_ENV: "1"})
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=900, env=env, cwd=REPO)
    assert done.returncode == 0, done.stderr[-2000:]
    texts, cwd, private = json.loads(done.stdout.strip().splitlines()[-1])
    assert texts == ["alice", "fresh"]
    assert _gone(cwd, private)
    assert not os.path.exists(cwd) and not os.path.exists(private)
