# expect: partial
# mistake: wake every waiter
# why: set() wakes one waiter (notify) instead of all of them (notify_all): with two threads
# why: waiting, the second one is never woken
import threading


class OneShot:
    def __init__(self):
        self._cond = threading.Condition()
        self._has_value = False
        self._value = None

    def set(self, value):
        with self._cond:
            if self._has_value:
                raise RuntimeError("already set")
            self._value = value
            self._has_value = True
            self._cond.notify()

    def get(self, timeout=None):
        with self._cond:
            while not self._has_value:
                if not self._cond.wait(timeout):
                    raise TimeoutError("not set in time")
            return self._value

    def is_set(self):
        return self._has_value
