# expect: zero
# why: waits by spinning until the round number changes: the engine reports the spin
import threading


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
        while self.round == mine:
            pass
