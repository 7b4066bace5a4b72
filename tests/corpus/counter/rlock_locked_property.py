# expect: full
# why: an RLock; both the property and increment take it, and increment does the whole
# why: update while holding it (re-entering through the property is fine with an RLock)
from threading import RLock


class Counter:
    """A thread-safe counter."""

    def __init__(self):
        self._lock = RLock()
        self._count = 0

    @property
    def value(self):
        with self._lock:
            return self._count

    def increment(self):
        with self._lock:
            self._count = self.value + 1
