# expect: full
# why: one lock per fork, and every philosopher takes the lower-numbered fork first: a global
# why: order on the forks, so no cycle of waiting
import threading


class DiningTable:
    def __init__(self, n=5):
        self.n = n
        self.forks = [threading.Lock() for _ in range(n)]

    def pick_up(self, i):
        a, b = sorted((i, (i + 1) % self.n))
        self.forks[a].acquire()
        self.forks[b].acquire()

    def put_down(self, i):
        self.forks[i].release()
        self.forks[(i + 1) % self.n].release()
