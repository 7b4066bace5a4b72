# expect: zero
# why: a lock but no flush: the line is still in Python's buffer when write()
# returns, so it is not in the file yet
import threading


class LogWriter:
    def __init__(self, path):
        self.f = open(path, "a")
        self.lock = threading.Lock()

    def write(self, source, message):
        with self.lock:
            self.f.write(f"{source}: {message}\n")

    def close(self):
        with self.lock:
            self.f.close()
