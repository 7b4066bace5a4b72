# expect: full
# why: one Lock; validation first, then the check and the update together under the lock;
# why: `balance` is a property that reads under the lock
import threading


class BankAccount:
    def __init__(self, balance=0):
        self._balance = balance
        self._lock = threading.Lock()

    @property
    def balance(self):
        with self._lock:
            return self._balance

    def deposit(self, amount):
        if amount <= 0:
            raise ValueError("amount must be positive")
        with self._lock:
            self._balance += amount

    def withdraw(self, amount):
        if amount <= 0:
            raise ValueError("amount must be positive")
        with self._lock:
            if amount > self._balance:
                raise ValueError("insufficient funds")
            self._balance -= amount
