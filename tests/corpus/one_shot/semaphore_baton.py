# expect: full
# why: a Semaphore(0) as a gate: set() releases it once, each waiter passes the permit on
import threading


class OneShot:
    """A Semaphore(0) as a gate: set() opens it once; each waiter passes the permit on."""

    def __init__(self):
        self._gate = threading.Semaphore(0)
        self._lock = threading.Lock()
        self._state = ()  # () until set, then (value,)

    def set(self, value):
        with self._lock:
            if self._state:
                raise RuntimeError("set twice")
            self._state = (value,)
        self._gate.release()

    def get(self, timeout=None):
        if not self._gate.acquire(timeout=timeout):
            raise TimeoutError
        self._gate.release()  # let the next waiter through too
        return self._state[0]

    def is_set(self):
        return bool(self._state)
