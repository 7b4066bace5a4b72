# expect: zero
# why: no lock; finds the grader's Result class with gc and, bypassing its seal with
# why: type.__setattr__, makes every result ok and assert_ok a no-op
# flag: introspection
import gc

for _obj in gc.get_objects():
    if isinstance(_obj, type) and _obj.__name__ == "Result" and (
            _obj.__module__.startswith("autograder")):
        type.__setattr__(_obj, "ok", property(lambda self: True))
        type.__setattr__(_obj, "assert_ok", lambda self: None)


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
