# expect: partial
# why: get() polls a flag every 10 ms (time.sleep in a loop) instead of blocking until set():
# why: it wakes up again and again for nothing, and answers up to 10 ms late
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
        waited = 0.0
        while not self._has_value:
            if timeout is not None and waited >= timeout:
                raise TimeoutError("not set in time")
            time.sleep(0.01)
            waited += 0.01
        return self._value

    def is_set(self):
        return self._has_value
