# expect: full
# why: Downey's footman: a Semaphore(n - 1) lets at most n - 1 philosophers reach for forks,
# why: so at least one of them gets both; each then takes left, then right
import threading


class DiningTable:
    def __init__(self, n=5):
        self.n = n
        self.forks = [threading.Lock() for _ in range(n)]
        self.footman = threading.Semaphore(n - 1)

    def pick_up(self, i):
        self.footman.acquire()
        self.forks[i].acquire()
        self.forks[(i + 1) % self.n].acquire()

    def put_down(self, i):
        self.forks[(i + 1) % self.n].release()
        self.forks[i].release()
        self.footman.release()
