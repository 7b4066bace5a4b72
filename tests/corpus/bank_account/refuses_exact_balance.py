# expect: partial
# why: off by one in the overdraft check (>= instead of >): withdrawing exactly the whole
# why: balance is refused, though it is allowed
# why: visible tests pass: an off-by-one in the rule, not a synchronization mistake the lesson
# why: warns about: the hidden rules test catches it
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
            if amount >= self.balance:
                raise ValueError("insufficient funds")
            self.balance -= amount
