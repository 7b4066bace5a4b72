# expect: partial
# mistake: finally
# why: connection() releases only when the block ends normally: an exception inside the
# why: `with` block leaks the connection, and the pool has one fewer for good
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
        with self._lock:
            if conn not in self._out:
                raise ValueError(f"connection {conn!r} is not checked out")
            self._out.remove(conn)
            self._free.append(conn)
        self._permits.release()

    @contextmanager
    def connection(self):
        conn = self.acquire()
        yield conn
        self.release(conn)
