"""Three threads share a pool of two permits (``threading.Semaphore(2)``).

Each thread takes a permit, records how many are inside, and leaves. Correct: never more than
two inside at once.
"""

import threading


class Pool:
    def __init__(self):
        self.permits = threading.Semaphore(2)
        self.guard = threading.Lock()
        self.inside = 0
        self.most = 0


def setup():
    return Pool()


def use(state):
    with state.permits:
        with state.guard:
            state.inside += 1
            state.most = max(state.most, state.inside)
        with state.guard:
            state.inside -= 1


threads = [use, use, use]


def invariant(state):
    if state.most > 2 or state.inside != 0:
        raise AssertionError(f"{state.most} inside at once, {state.inside} left inside")


EXPECTED = "ok"
