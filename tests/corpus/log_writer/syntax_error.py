# expect: zero
# why: a syntax error (missing colon): the class is never defined
import threading


class LogWriter:
    def __init__(self, path)
        self.f = open(path, "a")
        self.lock = threading.Lock()
