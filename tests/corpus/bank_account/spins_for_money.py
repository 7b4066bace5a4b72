# expect: partial
# why: withdraw waits in a busy loop until there is enough money instead of raising
# why: ValueError: an overdraft spins forever
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
        while True:
            with self._lock:
                if self.balance >= amount:
                    self.balance -= amount
                    return
