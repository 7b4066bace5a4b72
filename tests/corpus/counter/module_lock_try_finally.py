# expect: full
# why: a module-level lock with acquire/try/finally; `value` is a property that reads
# why: without the lock, which is fine: reading an int attribute is a single step
import threading

_counter_lock = threading.Lock()


class Counter:
    def __init__(self):
        self._value = 0

    @property
    def value(self):
        return self._value

    def increment(self):
        _counter_lock.acquire()
        try:
            current = self._value
            self._value = current + 1
        finally:
            _counter_lock.release()
