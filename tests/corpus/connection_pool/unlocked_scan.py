# expect: partial
# mistake: free list is racy
# why: a Semaphore bounds how many threads get in, but the scan of the in-use flags is not locked:
# why: two threads can find the same free connection and both take it (one connection, two holders)
import threading
from contextlib import contextmanager


class ConnectionPool:
    def __init__(self, size):
        self._permits = threading.Semaphore(size)
        self._in_use = [False] * size

    def acquire(self, timeout=None):
        if not self._permits.acquire(timeout=timeout):
            return None
        for conn, busy in enumerate(self._in_use):
            if not busy:
                self._in_use[conn] = True
                return conn

    def release(self, conn):
        if conn not in range(len(self._in_use)) or not self._in_use[conn]:
            raise ValueError(f"connection {conn!r} is not checked out")
        self._in_use[conn] = False
        self._permits.release()

    @contextmanager
    def connection(self):
        conn = self.acquire()
        try:
            yield conn
        finally:
            self.release(conn)
