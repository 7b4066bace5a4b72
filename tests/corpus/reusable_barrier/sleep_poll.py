# expect: partial
# mistake: block and be woken
# why: counts and rounds under a lock are right, but waiters poll the round number with
# why: time.sleep: they leave late (the visible test's late thread)
import threading
import time


class ReusableBarrier:
    def __init__(self, n):
        self.n = n
        self.count = 0
        self.round = 0
        self.lock = threading.Lock()

    def wait(self):
        with self.lock:
            mine = self.round
            self.count += 1
            if self.count == self.n:
                self.count = 0
                self.round += 1
                return
        while True:
            with self.lock:
                if self.round != mine:
                    return
            time.sleep(0.01)
