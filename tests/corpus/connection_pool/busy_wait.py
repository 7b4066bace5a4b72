# expect: partial
# why: acquire() busy-waits, checking the free list again and again, instead of blocking
import threading
import time
from contextlib import contextmanager


class ConnectionPool:
    def __init__(self, size):
        self._lock = threading.Lock()
        self._free = list(range(size))
        self._out = set()

    def acquire(self, timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            with self._lock:
                if self._free:
                    conn = self._free.pop()
                    self._out.add(conn)
                    return conn
            if deadline is not None and time.monotonic() >= deadline:
                return None

    def release(self, conn):
        with self._lock:
            if conn not in self._out:
                raise ValueError(f"connection {conn!r} is not checked out")
            self._out.remove(conn)
            self._free.append(conn)

    @contextmanager
    def connection(self):
        conn = self.acquire()
        try:
            yield conn
        finally:
            self.release(conn)
