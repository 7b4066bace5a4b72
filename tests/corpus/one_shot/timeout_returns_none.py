# expect: partial
# why: get(timeout) returns None when the time is up instead of raising TimeoutError (and None
# why: is a valid value, so the caller cannot tell)
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
            self._value = value
            self._done.set()

    def get(self, timeout=None):
        self._done.wait(timeout)
        return self._value

    def is_set(self):
        return self._done.is_set()
