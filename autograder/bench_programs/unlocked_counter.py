"""The counter without a lock: ``counter += 1`` is a read then a write, so an update is lost.

2 threads x 2 increments. Buggy: some interleavings end with a counter below 4.
"""

INCREMENTS = 2


class Counter:
    def __init__(self):
        self.counter = 0


def setup():
    return Counter()


def increment(state):
    for _ in range(INCREMENTS):
        state.counter += 1


threads = [increment, increment]


def invariant(state):
    expected = INCREMENTS * len(threads)
    if state.counter != expected:
        raise AssertionError(f"lost update: counter == {state.counter}, expected {expected}")


EXPECTED = "invariant"
