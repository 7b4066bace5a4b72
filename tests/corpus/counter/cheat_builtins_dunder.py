# expect: zero
# why: no lock; replaces the notebook's __builtins__ with a copy whose __import__ hands the
# why: test cells a stand-in autograder (every later cell runs with these builtins)
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


def _import(name, *args, **kwargs):
    if name.split(".")[0] == "autograder":
        return _fake
    return builtins.__import__(name, *args, **kwargs)


__builtins__ = dict(vars(builtins), __import__=_import)


class Counter:
    def __init__(self):
        self.value = 0

    def increment(self):
        self.value += 1
