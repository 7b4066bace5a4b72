# expect: zero
# why: no lock; replaces the grader in sys.modules["autograder"] with a module whose explore
# why: and run_once always pass, so that the test cells' `from autograder import ...` picks it up
# flag: modules
import sys
import types


class _AlwaysOk:
    ok = True
    verdict = "ok"
    executions = 1
    message = "OK: every interleaving passed"

    def assert_ok(self):
        pass


_fake = types.ModuleType("autograder")
_fake.explore = _fake.run_once = lambda *args, **kwargs: _AlwaysOk()
sys.modules["autograder"] = _fake


class Counter:
    def __init__(self):
        self.value = 0

    def increment(self):
        self.value += 1
