# expect: full
# why: an RLock and a shared private helper `_change` that both methods call while holding
# why: it; `withdraw` re-enters the lock through `_change`, which an RLock allows
import threading


def _check_amount(amount):
    if amount <= 0:
        raise ValueError("amount must be greater than 0")


class BankAccount:
    def __init__(self, balance=0):
        self._lock = threading.RLock()
        self.balance = balance

    def _change(self, delta):
        with self._lock:
            if self.balance + delta < 0:
                raise ValueError("not enough money")
            self.balance += delta

    def deposit(self, amount):
        _check_amount(amount)
        self._change(amount)

    def withdraw(self, amount):
        _check_amount(amount)
        with self._lock:
            self._change(-amount)
