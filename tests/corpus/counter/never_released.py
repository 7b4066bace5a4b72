# expect: zero
# why: acquires the lock and never releases it: the second increment waits forever for a
# why: lock its own thread holds (a deadlock, even with one thread)
import threading


class Counter:
    def __init__(self):
        self.value = 0
        self._lock = threading.Lock()

    def increment(self):
        self._lock.acquire()
        self.value += 1
