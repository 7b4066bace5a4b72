# expect: partial
# why: one Lock stands for the whole pool and stays held from acquire() to release():
# why: a pool of 2 lets only one thread hold a connection at a time (it serializes)
import threading
from contextlib import contextmanager


class ConnectionPool:
    def __init__(self, size):
        self._busy = threading.Lock()
        self._guard = threading.Lock()
        self._free = list(range(size))
        self._out = set()

    def acquire(self, timeout=None):
        if not self._busy.acquire(timeout=-1 if timeout is None else timeout):
            return None
        with self._guard:
            conn = self._free.pop()
            self._out.add(conn)
        return conn

    def release(self, conn):
        with self._guard:
            if conn not in self._out:
                raise ValueError(f"connection {conn!r} is not checked out")
            self._out.remove(conn)
            self._free.append(conn)
        self._busy.release()

    @contextmanager
    def connection(self):
        conn = self.acquire()
        try:
            yield conn
        finally:
            self.release(conn)
