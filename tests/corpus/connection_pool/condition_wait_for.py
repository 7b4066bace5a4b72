# expect: full
# why: one Condition: acquire waits with wait_for(timeout); release notifies; a class-based context
# why: manager
import threading


class _Checkout:
    def __init__(self, pool):
        self.pool = pool
        self.conn = None

    def __enter__(self):
        self.conn = self.pool.acquire()
        return self.conn

    def __exit__(self, *exc_info):
        self.pool.release(self.conn)
        return False


class ConnectionPool:
    """One Condition: wait for a free connection, notify when one comes back."""

    def __init__(self, size):
        self._cond = threading.Condition()
        self._free = list(range(size))
        self._out = set()

    def acquire(self, timeout=None):
        with self._cond:
            if not self._cond.wait_for(lambda: self._free, timeout=timeout):
                return None
            conn = self._free.pop(0)
            self._out.add(conn)
            return conn

    def release(self, conn):
        with self._cond:
            if conn not in self._out:
                raise ValueError("connection %r is not checked out" % (conn,))
            self._out.discard(conn)
            self._free.append(conn)
            self._cond.notify()

    def connection(self):
        return _Checkout(self)
