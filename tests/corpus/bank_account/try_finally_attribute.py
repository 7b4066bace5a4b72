# expect: full
# why: plain attribute `balance`, explicit acquire with try/finally so that the lock is
# why: released on the ValueError path too; validation inside the lock is fine
from threading import Lock


class BankAccount:
    def __init__(self, balance=0):
        self.balance = balance
        self.lock = Lock()

    def deposit(self, amount):
        self.lock.acquire()
        try:
            if not amount > 0:
                raise ValueError(f"cannot deposit {amount}")
            self.balance = self.balance + amount
        finally:
            self.lock.release()

    def withdraw(self, amount):
        self.lock.acquire()
        try:
            if not amount > 0:
                raise ValueError(f"cannot withdraw {amount}")
            if self.balance - amount < 0:
                raise ValueError(f"cannot withdraw {amount}: balance is only {self.balance}")
            self.balance = self.balance - amount
        finally:
            self.lock.release()
