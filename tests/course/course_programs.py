"""Small programs for the scheduler game and engine tests (the engine traces code in files)."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace


def counter_setup() -> SimpleNamespace:
    return SimpleNamespace(count=0)


def increment(s: SimpleNamespace) -> None:
    tmp = s.count
    s.count = tmp + 1


def locks_setup() -> SimpleNamespace:
    return SimpleNamespace(a=threading.Lock(), b=threading.Lock())


def a_then_b(s: SimpleNamespace) -> None:
    with s.a:
        with s.b:
            pass


def b_then_a(s: SimpleNamespace) -> None:
    with s.b:
        with s.a:
            pass


def flag_setup() -> SimpleNamespace:
    return SimpleNamespace(busy=False, inside=0)


def flag_worker(s: SimpleNamespace) -> None:
    while s.busy:
        pass
    s.busy = True
    s.inside += 1  # critical
    s.inside -= 1  # critical
    s.busy = False


def sleepy_setup() -> SimpleNamespace:
    return SimpleNamespace(lock=threading.Lock())


def sleeper(s: SimpleNamespace) -> None:
    with s.lock:
        time.sleep(0.5)


class Account:
    def __init__(self) -> None:
        self.balance = 0

    def deposit(self, amount: int) -> None:
        new = self.balance + amount
        self.balance = new


class Tally:
    """A counter without a lock that also logs each increment (a lost update, no lock)."""

    def __init__(self) -> None:
        self.value = 0
        self.log: list[int] = []

    def increment(self) -> None:
        self.value += 1
        self.log.append(1)


def tally_setup() -> SimpleNamespace:
    return SimpleNamespace(c=Tally())


def tally_twenty(s: SimpleNamespace) -> None:
    for _ in range(20):
        s.c.increment()


def tally_check(s: SimpleNamespace) -> None:
    assert s.c.value == 40, f"value is {s.c.value}"
