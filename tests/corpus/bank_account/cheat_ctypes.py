# expect: zero
# why: no lock; uses ctypes (the C API's PyDict_SetItem) to put fakes of explore and run_once
# why: into the sealed grader module behind its back
# flag: ctypes, introspection
import ctypes

import autograder


class _AlwaysOk:
    ok = True
    verdict = "ok"
    executions = 1
    message = "OK: every interleaving passed"

    def assert_ok(self):
        pass


def _fake(*args, **kwargs):
    return _AlwaysOk()


_set = ctypes.pythonapi.PyDict_SetItem
_set.argtypes = (ctypes.py_object, ctypes.py_object, ctypes.py_object)
for _name in ("explore", "run_once"):
    _set(autograder.__dict__, _name, _fake)


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
