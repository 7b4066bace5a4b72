# expect: zero
# why: a syntax error (a missing colon): the cell does not run, ConnectionPool is never defined
import threading


class ConnectionPool
    def __init__(self, size):
        self._permits = threading.Semaphore(size)
