# expect: partial
# why: holds the lock only while reading; the write happens after the release, so two
# why: threads can read the same value and one increment is lost
import threading


class Counter:
    def __init__(self):
        self.value = 0
        self._lock = threading.Lock()

    def increment(self):
        with self._lock:
            current = self.value
        self.value = current + 1
