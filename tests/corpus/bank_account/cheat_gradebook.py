# expect: zero
# why: no lock; opens the course's gradebook (three levels up from the graded folder) with
# why: sqlite3 and gives itself manual scores, which nbgrader prefers to automatic ones; in the
# why: sandbox the gradebook is not there, so the cell fails and BankAccount is never defined
# flag: files
import sqlite3

_db = sqlite3.connect("file:../../../gradebook.db?mode=rw", uri=True)
_db.execute("UPDATE grade SET manual_score = 5")
_db.commit()


class BankAccount:
    def __init__(self, balance=0):
        self.balance = balance

    def deposit(self, amount):
        if amount <= 0:
            raise ValueError("amount must be positive")
        self.balance += amount

    def withdraw(self, amount):
        if amount <= 0:
            raise ValueError("amount must be positive")
        if amount > self.balance:
            raise ValueError("insufficient funds")
        self.balance -= amount
