# expect: zero
# why: does not compile (a stray bracket)
import threading


class ReadWriteLock:
    def __init__(self):
        self.cond = threading.Condition()]
