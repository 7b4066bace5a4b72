"""Two locks taken in opposite orders: task1 takes lock1 then lock2, task2 lock2 then lock1.

No sleeps. Deadlocks when each task holds its first lock and waits for the other's.
"""

import threading


class State:
    def __init__(self):
        self.lock1 = threading.Lock()
        self.lock2 = threading.Lock()
        self.done = []


def setup():
    return State()


def task1(state):
    with state.lock1:
        with state.lock2:
            state.done.append("task1")


def task2(state):
    with state.lock2:
        with state.lock1:
            state.done.append("task2")


threads = [task1, task2]

#: No invariant: the failure is not finishing.
invariant = None

EXPECTED = "deadlock"
