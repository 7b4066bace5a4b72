# expect: full
# why: one Lock per counter, held around the whole read-modify-write with `with`
import threading


class Counter:
    def __init__(self):
        self.value = 0
        self._lock = threading.Lock()

    def increment(self):
        with self._lock:
            self.value += 1
