# expect: partial
# why: one lock for deposits and another for withdrawals: a deposit and a withdrawal can
# why: still interleave and lose an update
import threading


class BankAccount:
    def __init__(self, balance=0):
        self.balance = balance
        self._deposit_lock = threading.Lock()
        self._withdraw_lock = threading.Lock()

    def deposit(self, amount):
        if amount <= 0:
            raise ValueError("amount must be positive")
        with self._deposit_lock:
            self.balance += amount

    def withdraw(self, amount):
        if amount <= 0:
            raise ValueError("amount must be positive")
        with self._withdraw_lock:
            if amount > self.balance:
                raise ValueError("insufficient funds")
            self.balance -= amount
