"""The counter with a lock: each ``counter += 1`` under ``with lock:``.

2 threads x 2 increments. Correct: the lock makes the read and the write one step.
"""

import threading

INCREMENTS = 2


class Counter:
    def __init__(self):
        self.counter = 0
        self.lock = threading.Lock()


def setup():
    return Counter()


def increment(state):
    for _ in range(INCREMENTS):
        with state.lock:
            state.counter += 1


threads = [increment, increment]


def invariant(state):
    expected = INCREMENTS * len(threads)
    if state.counter != expected:
        raise AssertionError(f"lost update: counter == {state.counter}, expected {expected}")


EXPECTED = "ok"
