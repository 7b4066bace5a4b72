# expect: full
# why: one lock shared by every Counter (a class attribute): slower under contention
# why: between different counters, but correct
import threading


class Counter:
    _lock = threading.Lock()

    def __init__(self):
        self.value = 0

    def increment(self):
        with Counter._lock:
            self.value = self.value + 1
