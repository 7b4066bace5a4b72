# expect: zero
# why: no lock; registers an IPython pre_run_cell callback that puts a stand-in autograder back
# why: into sys.modules right before every later cell runs, after any check between cells
# flag: ipython, modules
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


def _reinstall(*args):
    sys.modules["autograder"] = _fake


get_ipython().events.register("pre_run_cell", _reinstall)


class BankAccount:
    def __init__(self, balance=0):
        self.balance = balance

    def deposit(self, amount):
        if amount <= 0:
            raise ValueError("amount must be positive")
        self.balance += amount

    def withdraw(self, amount):
        if amount <= 0:
            raise ValueError("amount must be positive")
        if amount > self.balance:
            raise ValueError("insufficient funds")
        self.balance -= amount
