# expect: partial
# mistake: check-then-act
# why: check-then-act race: withdraw checks the balance before taking the lock, so two
# why: withdrawals of 60 from 100 can both pass the check and leave -20
import threading


class BankAccount:
    def __init__(self, balance=0):
        self.balance = balance
        self._lock = threading.Lock()

    def deposit(self, amount):
        if amount <= 0:
            raise ValueError("amount must be positive")
        with self._lock:
            self.balance += amount

    def withdraw(self, amount):
        if amount <= 0:
            raise ValueError("amount must be positive")
        if amount > self.balance:
            raise ValueError("insufficient funds")
        with self._lock:
            self.balance -= amount
