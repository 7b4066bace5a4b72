# expect: zero
# why: a syntax error (unclosed parenthesis): the cell does not run and BankAccount is
# why: never defined
import threading


class BankAccount:
    def __init__(self, balance=0):
        self.balance = balance
        self._lock = threading.Lock(

    def deposit(self, amount):
        with self._lock:
            self.balance += amount
