# expect: partial
# why: get() waits for the Event while holding the lock that set() needs: a get() before set()
# why: blocks set() forever (a deadlock)
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
        with self._lock:
            if not self._done.wait(timeout):
                raise TimeoutError("not set in time")
            return self._value

    def is_set(self):
        return self._done.is_set()
