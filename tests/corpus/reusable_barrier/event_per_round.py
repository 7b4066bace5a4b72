# expect: full
# why: a fresh Event for every round, swapped in by the last thread under the lock: waiters
# why: hold on to their own round's event
import threading


class ReusableBarrier:
    def __init__(self, n):
        self.n = n
        self.count = 0
        self.lock = threading.Lock()
        self.opened = threading.Event()

    def wait(self):
        with self.lock:
            self.count += 1
            opened = self.opened
            if self.count == self.n:
                self.count = 0
                self.opened = threading.Event()
                opened.set()
                return
        opened.wait()
