# expect: full
# why: an Event to wait on; a Lock makes the check and the store one step; the value is stored
# why: before the Event is set
import threading


class OneShot:
    """An Event says "set"; a Lock makes check-and-set one step."""

    def __init__(self):
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._value = None

    def set(self, value):
        with self._lock:
            if self._done.is_set():
                raise RuntimeError("OneShot already set")
            self._value = value  # store first,
            self._done.set()     # then announce

    def get(self, timeout=None):
        if not self._done.wait(timeout):
            raise TimeoutError(f"OneShot not set within {timeout} s")
        return self._value

    def is_set(self):
        return self._done.is_set()
