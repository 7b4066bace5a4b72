# expect: partial
# why: a second set() silently replaces the value instead of raising RuntimeError
import threading


class OneShot:
    def __init__(self):
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._value = None

    def set(self, value):
        with self._lock:
            self._value = value
            self._done.set()

    def get(self, timeout=None):
        if not self._done.wait(timeout):
            raise TimeoutError("not set in time")
        return self._value

    def is_set(self):
        return self._done.is_set()
