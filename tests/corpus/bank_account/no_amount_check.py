# expect: partial
# why: thread-safe, but never checks that the amount is > 0: deposit(0) and deposit(-1)
# why: succeed, and withdraw(-50) adds money
import threading


class BankAccount:
    def __init__(self, balance=0):
        self.balance = balance
        self._lock = threading.Lock()

    def deposit(self, amount):
        with self._lock:
            self.balance += amount

    def withdraw(self, amount):
        with self._lock:
            if amount > self.balance:
                raise ValueError("insufficient funds")
            self.balance -= amount
