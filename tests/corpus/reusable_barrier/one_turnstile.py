# expect: zero
# why: Downey's first barrier: it works once, but the count is never reset and the turnstile
# why: stays open, so in the second round a thread goes through before the others arrive
import threading


class ReusableBarrier:
    def __init__(self, n):
        self.n = n
        self.count = 0
        self.mutex = threading.Lock()
        self.turnstile = threading.Semaphore(0)

    def wait(self):
        with self.mutex:
            self.count += 1
        if self.count == self.n:
            self.turnstile.release()
        self.turnstile.acquire()
        self.turnstile.release()
