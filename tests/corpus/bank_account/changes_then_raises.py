# expect: partial
# why: subtracts first and raises when the result is negative, without putting the money
# why: back: a refused withdrawal changes the balance
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
        with self._lock:
            self.balance -= amount
            if self.balance < 0:
                raise ValueError("insufficient funds")
