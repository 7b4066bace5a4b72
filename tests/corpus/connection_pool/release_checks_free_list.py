# expect: partial
# why: release() only checks that the connection is not already in the free list, so
# why: release(2) on a pool of 2 "returns" a connection that never existed: three come out
# why: visible tests pass: an edge of the contract (a connection that never existed), not a mistake
# why: the lesson warns about: the hidden release tests catch it
import threading
from contextlib import contextmanager


class ConnectionPool:
    def __init__(self, size):
        self._permits = threading.Semaphore(size)
        self._lock = threading.Lock()
        self._free = list(range(size))

    def acquire(self, timeout=None):
        if not self._permits.acquire(timeout=timeout):
            return None
        with self._lock:
            return self._free.pop()

    def release(self, conn):
        with self._lock:
            if conn in self._free:
                raise ValueError(f"connection {conn!r} was already released")
            self._free.append(conn)
        self._permits.release()

    @contextmanager
    def connection(self):
        conn = self.acquire()
        try:
            yield conn
        finally:
            self.release(conn)
