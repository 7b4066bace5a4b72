# expect: zero
# mistake: spin
# why: get() busy-waits on a flag (a spin loop) instead of blocking on an Event or a Condition;
# why: with a timeout it checks the clock in the same loop
import threading
import time


class OneShot:
    def __init__(self):
        self._lock = threading.Lock()
        self._has_value = False
        self._value = None

    def set(self, value):
        with self._lock:
            if self._has_value:
                raise RuntimeError("already set")
            self._value = value
            self._has_value = True

    def get(self, timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._has_value:
            if deadline is not None and time.monotonic() >= deadline:
                raise TimeoutError("not set in time")
        return self._value

    def is_set(self):
        return self._has_value
