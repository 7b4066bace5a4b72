# expect: zero
# why: a syntax error (missing colon): the cell does not run and Counter is never defined
import threading


class Counter
    def __init__(self):
        self.value = 0
        self._lock = threading.Lock()

    def increment(self):
        with self._lock:
            self.value += 1
