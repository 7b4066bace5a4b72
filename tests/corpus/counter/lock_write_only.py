# expect: partial
# why: reads outside the lock and holds it only for the write: the value written may be
# why: stale, so an update is lost
import threading


class Counter:
    def __init__(self):
        self.value = 0
        self._lock = threading.Lock()

    def increment(self):
        new = self.value + 1
        with self._lock:
            self.value = new
