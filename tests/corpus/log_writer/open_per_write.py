# expect: full
import threading

_lock = threading.Lock()


class LogWriter:
    def __init__(self, path):
        self.path = path
        self.closed = False
        open(path, "a").close()

    def write(self, source, message):
        with _lock:
            if self.closed:
                raise ValueError("closed")
            with open(self.path, "a") as f:
                f.write(source)
                f.write(": ")
                f.write(message + "\n")

    def close(self):
        with _lock:
            self.closed = True
