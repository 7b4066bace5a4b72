# expect: partial
# why: wraps threading.Barrier, which the contract rules out: the visible test says so (the
# why: behaviour itself is right, so the hidden tests pass)
import threading


class ReusableBarrier:
    def __init__(self, n):
        self.barrier = threading.Barrier(n)

    def wait(self):
        self.barrier.wait()
