# expect: full
# why: one Condition guards a flag and the value; get() uses wait_for(timeout); set() notifies all
import threading


class OneShot:
    """One Condition guards the flag and the value; waiters sleep on it."""

    def __init__(self):
        self._cond = threading.Condition(threading.Lock())
        self._has_value = False
        self._value = None

    def set(self, value):
        with self._cond:
            if self._has_value:
                raise RuntimeError("already set")
            self._value = value
            self._has_value = True
            self._cond.notify_all()

    def get(self, timeout=None):
        with self._cond:
            if not self._cond.wait_for(lambda: self._has_value, timeout):
                raise TimeoutError("not set in time")
            return self._value

    def is_set(self):
        with self._cond:
            return self._has_value
