# expect: partial
# mistake: check-then-act
# why: release() checks that the connection is out before taking the lock: two threads releasing
# why: the same connection both pass the check, and the pool gets it back twice
import threading
from contextlib import contextmanager


class ConnectionPool:
    def __init__(self, size):
        self._permits = threading.Semaphore(size)
        self._lock = threading.Lock()
        self._free = list(range(size))
        self._out = set()

    def acquire(self, timeout=None):
        if not self._permits.acquire(timeout=timeout):
            return None
        with self._lock:
            conn = self._free.pop()
            self._out.add(conn)
        return conn

    def release(self, conn):
        if conn not in self._out:
            raise ValueError(f"connection {conn!r} is not checked out")
        with self._lock:
            self._out.discard(conn)
            self._free.append(conn)
        self._permits.release()

    @contextmanager
    def connection(self):
        conn = self.acquire()
        try:
            yield conn
        finally:
            self.release(conn)
