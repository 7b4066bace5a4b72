# expect: zero
# why: withdraw holds a plain Lock and calls deposit (for the negative amount), which takes
# why: the same Lock again: the thread waits for itself (a deadlock on the first withdraw)
import threading


class BankAccount:
    def __init__(self, balance=0):
        self.balance = balance
        self._lock = threading.Lock()

    def _add(self, amount):
        with self._lock:
            self.balance += amount

    def deposit(self, amount):
        if amount <= 0:
            raise ValueError("amount must be positive")
        self._add(amount)

    def withdraw(self, amount):
        if amount <= 0:
            raise ValueError("amount must be positive")
        with self._lock:
            if amount > self.balance:
                raise ValueError("insufficient funds")
            self._add(-amount)
