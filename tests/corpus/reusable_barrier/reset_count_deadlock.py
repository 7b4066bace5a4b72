# expect: zero
# why: waiters wait while the count is below n, and the last one resets the count to 0 when
# why: it wakes them: a woken waiter sees 0 and waits again, for ever (a deadlock)
import threading


class ReusableBarrier:
    def __init__(self, n):
        self.n = n
        self.count = 0
        self.cond = threading.Condition()

    def wait(self):
        with self.cond:
            self.count += 1
            if self.count == self.n:
                self.count = 0
                self.cond.notify_all()
                return
            while self.count < self.n:
                self.cond.wait()
