# expect: full
# why: a Condition on an explicit Lock, waiting in a loop with a deadline from time.monotonic()
import threading
import time


class ConnectionPool:
    """A Condition and an explicit deadline; a class-based context manager."""

    def __init__(self, size):
        self.size = size
        self.lock = threading.Lock()
        self.returned = threading.Condition(self.lock)
        self.checked_out = [False] * size

    def acquire(self, timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        with self.lock:
            while all(self.checked_out):
                if deadline is None:
                    self.returned.wait()
                else:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        return None
                    self.returned.wait(left)
            conn = self.checked_out.index(False)
            self.checked_out[conn] = True
            return conn

    def release(self, conn):
        with self.lock:
            if not (isinstance(conn, int) and 0 <= conn < self.size and self.checked_out[conn]):
                raise ValueError(f"connection {conn!r} is not checked out")
            self.checked_out[conn] = False
            self.returned.notify()

    def connection(self):
        return _Lease(self)


class _Lease:
    def __init__(self, pool):
        self.pool = pool

    def __enter__(self):
        self.conn = self.pool.acquire()
        return self.conn

    def __exit__(self, exc_type, exc, tb):
        self.pool.release(self.conn)
