# expect: full
# why: a Condition used as a lock (its `with` takes its lock); history kept as a list of
# why: transactions and the balance computed from it under the lock
import threading


class BankAccount:
    def __init__(self, balance=0):
        self._cond = threading.Condition()
        self._entries = [balance]

    @property
    def balance(self):
        with self._cond:
            return sum(self._entries)

    def deposit(self, amount):
        if amount <= 0:
            raise ValueError("deposit must be > 0")
        with self._cond:
            self._entries.append(amount)

    def withdraw(self, amount):
        if amount <= 0:
            raise ValueError("withdrawal must be > 0")
        with self._cond:
            if sum(self._entries) < amount:
                raise ValueError("insufficient funds")
            self._entries.append(-amount)
