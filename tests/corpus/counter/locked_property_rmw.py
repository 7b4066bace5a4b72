# expect: partial
# why: the getter and the setter each take the lock, but `self.value += 1` calls them one
# why: after the other: the read-modify-write as a whole is not atomic, so updates are lost
import threading


class Counter:
    def __init__(self):
        self._value = 0
        self._lock = threading.Lock()

    @property
    def value(self):
        with self._lock:
            return self._value

    @value.setter
    def value(self, new):
        with self._lock:
            self._value = new

    def increment(self):
        self.value += 1
