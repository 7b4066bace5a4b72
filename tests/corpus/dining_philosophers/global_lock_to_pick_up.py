# expect: partial
# why: a global lock around picking up both forks: no deadlock, and non-neighbours eat
# why: together, but a philosopher waiting for a fork holds the global lock, so another one
# why: whose forks are free must wait too (the hidden test)
# why: visible tests pass: it is correct but slow (too little concurrency), which only the hidden
# why: test measures; the puzzle's classic mistake, the deadlock of everyone taking the left fork
# why: first, fails visibly
import threading


class DiningTable:
    def __init__(self, n=5):
        self.n = n
        self.forks = [threading.Lock() for _ in range(n)]
        self.picking = threading.Lock()

    def pick_up(self, i):
        with self.picking:
            self.forks[i].acquire()
            self.forks[(i + 1) % self.n].acquire()

    def put_down(self, i):
        self.forks[i].release()
        self.forks[(i + 1) % self.n].release()
