# expect: partial
# why: one lock for the whole table, held from pick_up to put_down: no deadlock and neighbours
# why: never eat together, but only one philosopher eats at a time (the hidden test)
# why: visible tests pass: it is correct but serial (one philosopher eats at a time), which only
# why: the hidden test measures; the puzzle's classic mistake, the deadlock of everyone taking the
# why: left fork first, fails visibly
import threading


class DiningTable:
    def __init__(self, n=5):
        self.table = threading.Lock()

    def pick_up(self, i):
        self.table.acquire()

    def put_down(self, i):
        self.table.release()
