# expect: zero
# why: no lock; wraps builtins.__import__ so that any import of autograder (the test cells'
# why: `from autograder import ...`) returns a stand-in whose explore and run_once always pass
# flag: builtins
import builtins
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
_real_import = builtins.__import__


def _import(name, *args, **kwargs):
    if name == "autograder" or name.startswith("autograder."):
        return _fake
    return _real_import(name, *args, **kwargs)


builtins.__import__ = _import


class Counter:
    def __init__(self):
        self.value = 0

    def increment(self):
        self.value += 1
