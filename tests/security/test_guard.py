"""The kernel side of the tamper guard, in a fresh interpreter (no IPython): what it notices,
that it puts the real grader back, and that the engine's own patching is not tampering."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

PRELUDE = """
import builtins, json, sys, types
from autograder.grading.sandbox import guard
guard.install()
import autograder, autograder.exploration.result, autograder.exploration.search
from autograder.grading.sandbox.guard import TamperGuard
real_explore, real_import = autograder.explore, builtins.__import__
report = {}
"""


def run(code: str) -> dict:
    done = subprocess.run([sys.executable, "-c", PRELUDE + textwrap.dedent(code)
                           + "\nprint(json.dumps(report))"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_nothing_replaced_nothing_found_even_after_an_engine_run(tmp_path):
    (tmp_path / "racy_counter.py").write_text(
        "class Counter:\n    def __init__(self):\n        self.value = 0\n\n"
        "    def increment(self):\n        self.value += 1\n")
    report = run(f"""
        sys.path.insert(0, {str(tmp_path)!r})
        from racy_counter import Counter
        result = autograder.explore(Counter, [lambda c: c.increment()] * 2,
                                    lambda c: c.value == 2, time_budget=2)
        report["ok"] = result.ok
        report["found"] = json.loads(TamperGuard.check())
    """)
    assert report == {"ok": False, "found": []}


def test_replaced_grader_is_found_and_put_back():
    report = run("""
        fake = types.ModuleType("autograder")
        sys.modules["autograder"] = fake
        def _import(name, *args, **kwargs):
            return real_import(name, *args, **kwargs)
        builtins.__import__ = _import
        vars(autograder.exploration.search)["explore"] = lambda *a, **k: None
        type.__setattr__(autograder.exploration.result.Result, "ok", property(lambda self: True))
        type.__setattr__(autograder.exploration.result.Result, "__bool__", lambda self: True)
        report["found"] = json.loads(TamperGuard.check())
        report["restored"] = [
            sys.modules["autograder"] is autograder,
            builtins.__import__ is real_import,
            autograder.exploration.search.explore is real_explore,
            "__bool__" not in vars(autograder.exploration.result.Result),
            isinstance(vars(autograder.exploration.result.Result)["ok"], property)
            and vars(autograder.exploration.result.Result)["ok"].fget.__name__ == "ok",
        ]
        report["again"] = json.loads(TamperGuard.check())
    """)
    found = "\n".join(report["found"])
    for what in ("sys.modules['autograder'] was replaced", "builtins.__import__ was replaced",
                 "autograder.exploration.search.explore was replaced",
                 "autograder.exploration.result.Result.ok was replaced",
                 "autograder.exploration.result.Result.__bool__ was added"):
        assert what in found, found
    assert report["restored"] == [True] * 5
    assert report["again"] == []


def test_deleted_module_and_threading_patch_are_found():
    report = run("""
        import threading
        del sys.modules["autograder.exploration.search"]
        threading.Lock = threading.RLock
        report["found"] = json.loads(TamperGuard.check())
        report["back"] = [sys.modules["autograder.exploration.search"]
                          is autograder.exploration.search,
                          threading.Lock is not threading.RLock]
    """)
    found = "\n".join(report["found"])
    assert "sys.modules['autograder.exploration.search'] was deleted" in found
    assert "threading.Lock was replaced" in found
    assert report["back"] == [True, True]


def test_the_executor_finds_the_guard_without_names():
    report = run("""
        ns = {"object": None, "__builtins__": {}}
        report["found"] = eval(guard.CHECK_EXPRESSION, ns)
    """)
    assert report["found"] == ["[]"]


def test_the_test_cells_helpers_are_sealed_and_guarded():
    """Test cells import `autograder.grading.testkit`: a submission can neither assign its
    functions nor swap them or the module without the guard noticing and putting them back."""
    report = run("""
        from autograder.grading import testkit
        real_assert_ok = testkit.assert_ok
        try:
            testkit.assert_ok = lambda result, what: result
            report["assigned"] = True
        except PermissionError:
            report["assigned"] = False
        vars(testkit)["assert_ok"] = lambda result, what: result
        sys.modules["autograder.grading.testkit"] = types.ModuleType("testkit")
        report["found"] = json.loads(TamperGuard.check())
        report["restored"] = [testkit.assert_ok is real_assert_ok,
                              sys.modules["autograder.grading.testkit"] is testkit]
    """)
    found = "\n".join(report["found"])
    assert report["assigned"] is False
    assert "autograder.grading.testkit.assert_ok was replaced" in found, found
    assert "sys.modules['autograder.grading.testkit'] was replaced" in found, found
    assert report["restored"] == [True, True]
