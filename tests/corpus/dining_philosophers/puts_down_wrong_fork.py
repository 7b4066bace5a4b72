# expect: zero
# why: picks up the lower-numbered fork first (right), but put_down gives back fork i - 1
# why: instead of fork i + 1: a fork that is not held (an error), and a held one stays taken
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
        self.forks[(i - 1) % self.n].release()
