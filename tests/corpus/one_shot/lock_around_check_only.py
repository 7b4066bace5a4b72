# expect: partial
# mistake: check-then-act
# why: the lock covers the check but not the set: two set() calls can both pass the check
# why: before either one sets, and both succeed
import threading


class OneShot:
    def __init__(self):
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._value = None

    def set(self, value):
        with self._lock:
            already = self._done.is_set()
        if already:
            raise RuntimeError("already set")
        self._value = value
        self._done.set()

    def get(self, timeout=None):
        if not self._done.wait(timeout):
            raise TimeoutError("not set in time")
        return self._value

    def is_set(self):
        return self._done.is_set()
