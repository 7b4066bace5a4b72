# expect: partial
# why: set() sets the Event before storing the value: a waiter woken in between returns the old
# why: value (None) instead of the one being set
import threading


class OneShot:
    def __init__(self):
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._value = None

    def set(self, value):
        with self._lock:
            if self._done.is_set():
                raise RuntimeError("already set")
            self._done.set()
            self._value = value

    def get(self, timeout=None):
        if not self._done.wait(timeout):
            raise TimeoutError("not set in time")
        return self._value

    def is_set(self):
        return self._done.is_set()
