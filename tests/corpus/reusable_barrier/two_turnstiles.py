# expect: full
# why: Downey's reusable barrier: a mutex-protected count and two turnstiles (semaphores); the
# why: last thread in opens the first turnstile for n threads, the last out the second one
import threading


class ReusableBarrier:
    def __init__(self, n):
        self.n = n
        self.count = 0
        self.mutex = threading.Lock()
        self.turnstile_in = threading.Semaphore(0)
        self.turnstile_out = threading.Semaphore(0)

    def wait(self):
        with self.mutex:
            self.count += 1
            if self.count == self.n:
                for _ in range(self.n):
                    self.turnstile_in.release()
        self.turnstile_in.acquire()
        with self.mutex:
            self.count -= 1
            if self.count == 0:
                for _ in range(self.n):
                    self.turnstile_out.release()
        self.turnstile_out.acquire()
