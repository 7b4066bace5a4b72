# expect: zero
# mistake: deadlock
# why: every philosopher takes the left fork, then the right one: when all five sit down at
# why: once, each holds one fork and waits for the next one's (a deadlock)
import threading


class DiningTable:
    def __init__(self, n=5):
        self.n = n
        self.forks = [threading.Semaphore(1) for _ in range(n)]

    def pick_up(self, i):
        self.forks[i].acquire()
        self.forks[(i + 1) % self.n].acquire()

    def put_down(self, i):
        self.forks[i].release()
        self.forks[(i + 1) % self.n].release()
