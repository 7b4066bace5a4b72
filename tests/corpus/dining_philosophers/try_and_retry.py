# expect: zero
# why: takes the left fork, tries the right one without blocking and, when it is taken, puts
# why: the left one back and tries again at once: philosophers in step retry for ever (a
# why: livelock; the engine reports the spin)
import threading


class DiningTable:
    def __init__(self, n=5):
        self.n = n
        self.forks = [threading.Lock() for _ in range(n)]

    def pick_up(self, i):
        left, right = self.forks[i], self.forks[(i + 1) % self.n]
        while True:
            left.acquire()
            if right.acquire(blocking=False):
                return
            left.release()

    def put_down(self, i):
        self.forks[i].release()
        self.forks[(i + 1) % self.n].release()
