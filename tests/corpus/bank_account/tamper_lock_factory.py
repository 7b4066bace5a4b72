# expect: zero
# why: no lock; instead, every deposit and withdraw swaps threading.Lock and
# why: Thread.start for its own versions, hoping to take the scheduler out of the test
# flag: threading
import threading


class BankAccount:
    def __init__(self, balance=0):
        self.balance = balance

    def _take_over(self):
        threading.Lock = threading.RLock
        threading.Thread.start = threading.Thread.run

    def deposit(self, amount):
        self._take_over()
        if amount <= 0:
            raise ValueError("amount must be positive")
        self.balance += amount

    def withdraw(self, amount):
        self._take_over()
        if amount <= 0:
            raise ValueError("amount must be positive")
        if amount > self.balance:
            raise ValueError("insufficient funds")
        self.balance -= amount
