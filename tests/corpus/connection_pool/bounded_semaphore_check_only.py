# expect: partial
# why: release() relies on BoundedSemaphore to reject a bad release, but it only counts: with
# why: connection 0 out, release(1) (which is free) succeeds and the free list holds 1 twice
import threading
from contextlib import contextmanager


class ConnectionPool:
    def __init__(self, size):
        self._permits = threading.BoundedSemaphore(size)
        self._lock = threading.Lock()
        self._free = list(range(size))

    def acquire(self, timeout=None):
        if not self._permits.acquire(timeout=timeout):
            return None
        with self._lock:
            return self._free.pop(0)

    def release(self, conn):
        with self._lock:
            self._permits.release()  # raises ValueError when released too many times
            self._free.append(conn)

    @contextmanager
    def connection(self):
        conn = self.acquire()
        try:
            yield conn
        finally:
            self.release(conn)
