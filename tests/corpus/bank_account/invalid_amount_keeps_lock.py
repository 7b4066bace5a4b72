# expect: partial
# mistake: left held
# why: releases the lock on the overdraft path, but an amount that is not > 0 raises with
# why: the lock still held: the next call deadlocks
import threading


class BankAccount:
    def __init__(self, balance=0):
        self.balance = balance
        self._lock = threading.Lock()

    def deposit(self, amount):
        self._lock.acquire()
        if amount <= 0:
            raise ValueError("amount must be positive")
        self.balance += amount
        self._lock.release()

    def withdraw(self, amount):
        self._lock.acquire()
        if amount <= 0:
            raise ValueError("amount must be positive")
        if amount > self.balance:
            self._lock.release()
            raise ValueError("insufficient funds")
        self.balance -= amount
        self._lock.release()
