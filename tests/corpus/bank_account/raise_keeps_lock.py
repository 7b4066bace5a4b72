# expect: partial
# mistake: left held
# why: acquire/release without try/finally: the overdraft ValueError leaves the lock held,
# why: and the next call waits forever (a deadlock, even in one thread)
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
            raise ValueError("insufficient funds")
        self.balance -= amount
        self._lock.release()
