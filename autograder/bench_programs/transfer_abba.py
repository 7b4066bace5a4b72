"""Two bank accounts, each with its own lock; two transfers in opposite directions.

Thread 1 moves money A -> B taking A's lock then B's; thread 2 moves B -> A taking B's lock then
A's. Deadlocks (ABBA). When both finish, the total is unchanged.
"""

import threading


class Account:
    def __init__(self, name, balance):
        self.name = name
        self.balance = balance
        self.lock = threading.Lock()


class Bank:
    def __init__(self):
        self.a = Account("A", 100)
        self.b = Account("B", 100)


def setup():
    return Bank()


def transfer(source, target, amount):
    with source.lock:
        with target.lock:
            source.balance -= amount
            target.balance += amount


def a_to_b(bank):
    transfer(bank.a, bank.b, 30)


def b_to_a(bank):
    transfer(bank.b, bank.a, 20)


threads = [a_to_b, b_to_a]


def invariant(bank):
    total = bank.a.balance + bank.b.balance
    if total != 200:
        raise AssertionError(f"money created or lost: total == {total}, expected 200")


EXPECTED = "deadlock"
