# expect: partial
# why: a woken acquire() does not check again that a connection is free (`if` instead of
# why: `while`): another thread can take the released connection first, then the pool breaks
# why: visible tests pass: not a mistake lesson 3 teaches (it hints a semaphore; `while` around a
# why: Condition's wait is lesson 9's): the hidden test of a thread that borrows twice catches it
import threading
from contextlib import contextmanager


class ConnectionPool:
    def __init__(self, size):
        self._cond = threading.Condition()
        self._free = list(range(size))
        self._out = set()

    def acquire(self, timeout=None):
        with self._cond:
            if not self._free:
                if not self._cond.wait(timeout):
                    return None
            conn = self._free.pop()
            self._out.add(conn)
            return conn

    def release(self, conn):
        with self._cond:
            if conn not in self._out:
                raise ValueError(f"connection {conn!r} is not checked out")
            self._out.remove(conn)
            self._free.append(conn)
            self._cond.notify()

    @contextmanager
    def connection(self):
        conn = self.acquire()
        try:
            yield conn
        finally:
            self.release(conn)
