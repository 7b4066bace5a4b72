# expect: zero
# why: no lock; writes fakes of explore and run_once straight into the grader modules'
# why: __dict__, which the sealed modules' __setattr__ never sees
# flag: introspection
import autograder
import autograder.exploration.search


class _AlwaysOk:
    ok = True
    verdict = "ok"
    executions = 1
    message = "OK: every interleaving passed"

    def assert_ok(self):
        pass


def _fake(*args, **kwargs):
    return _AlwaysOk()


for _module in (autograder, autograder.exploration.search):
    vars(_module)["explore"] = _fake
    _module.__dict__["run_once"] = _fake


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
