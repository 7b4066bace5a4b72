# expect: partial
# mistake: check-then-act
# why: set() checks is_set() and then sets, with nothing making the two one step: two threads
# why: calling set() at once both see "not set yet", and both succeed (a check-then-act race)
import threading


class OneShot:
    def __init__(self):
        self._done = threading.Event()
        self._value = None

    def set(self, value):
        if self._done.is_set():
            raise RuntimeError("already set")
        self._value = value
        self._done.set()

    def get(self, timeout=None):
        if not self._done.wait(timeout):
            raise TimeoutError("not set in time")
        return self._value

    def is_set(self):
        return self._done.is_set()
