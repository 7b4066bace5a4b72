# expect: partial
# mistake: None is a valid value
# why: uses None to mean "not set yet", so set(None) does not count as set: is_set() stays
# why: False, get() waits forever, and a later set() succeeds
import threading


class OneShot:
    def __init__(self):
        self._cond = threading.Condition()
        self._value = None

    def set(self, value):
        with self._cond:
            if self._value is not None:
                raise RuntimeError("already set")
            self._value = value
            self._cond.notify_all()

    def get(self, timeout=None):
        with self._cond:
            if not self._cond.wait_for(lambda: self._value is not None, timeout):
                raise TimeoutError("not set in time")
            return self._value

    def is_set(self):
        with self._cond:
            return self._value is not None
