# expect: partial
# why: acquire() finds no free connection, lets go of the lock, and only then clears the Event
# why: it waits on: a release() in between sets the Event just before it is cleared, and the
# why: waiter sleeps forever (a lost wakeup)
import threading
from contextlib import contextmanager


class ConnectionPool:
    def __init__(self, size):
        self._lock = threading.Lock()
        self._returned = threading.Event()
        self._free = list(range(size))
        self._out = set()

    def acquire(self, timeout=None):
        while True:
            with self._lock:
                if self._free:
                    conn = self._free.pop()
                    self._out.add(conn)
                    return conn
            self._returned.clear()
            if not self._returned.wait(timeout):
                return None

    def release(self, conn):
        with self._lock:
            if conn not in self._out:
                raise ValueError(f"connection {conn!r} is not checked out")
            self._out.remove(conn)
            self._free.append(conn)
        self._returned.set()

    @contextmanager
    def connection(self):
        conn = self.acquire()
        try:
            yield conn
        finally:
            self.release(conn)
