# expect: full
# why: a queue.Queue holds the free connections (get(timeout) waits); a Lock guards the set of
# why: connections out
import queue
import threading
from contextlib import contextmanager


class ConnectionPool:
    """A queue.Queue holds the free connections (it does its own locking)."""

    def __init__(self, size):
        self._free = queue.Queue()
        for conn in range(size):
            self._free.put(conn)
        self._out = set()
        self._out_lock = threading.Lock()

    def acquire(self, timeout=None):
        try:
            conn = self._free.get(timeout=timeout)
        except queue.Empty:
            return None
        with self._out_lock:
            self._out.add(conn)
        return conn

    def release(self, conn):
        with self._out_lock:
            if conn not in self._out:
                raise ValueError(f"{conn!r} is not checked out")
            self._out.remove(conn)
        self._free.put(conn)

    @contextmanager
    def connection(self):
        conn = self.acquire()
        try:
            yield conn
        finally:
            self.release(conn)
