"""Dining philosophers, 4 of them, forks taken in a global order (lower number first).

Each philosopher eats once and counts the meal in its own slot of a shared list
(``meals[i] += 1``). Correct: ordered forks cannot deadlock, and every philosopher eats once.
"""

import threading

N = 4


class Table:
    def __init__(self):
        self.forks = [threading.Lock() for _ in range(N)]
        self.meals = [0] * N


def setup():
    return Table()


def philosopher(i):
    def dine(state):
        first, second = sorted((i, (i + 1) % N))
        with state.forks[first]:
            with state.forks[second]:
                state.meals[i] += 1

    return dine


threads = [philosopher(i) for i in range(N)]


def invariant(state):
    if state.meals != [1] * N:
        raise AssertionError(f"meals {state.meals}, expected one each")


EXPECTED = "ok"
