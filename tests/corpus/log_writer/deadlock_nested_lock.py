# expect: zero
# why: write() holds the Lock and calls _check_open(), which takes the same Lock
# again: a plain Lock is not reentrant, so the first write() deadlocks
import threading


class LogWriter:
    def __init__(self, path):
        self.f = open(path, "a")
        self.lock = threading.Lock()
        self.closed = False

    def _check_open(self):
        with self.lock:
            if self.closed:
                raise ValueError("closed")

    def write(self, source, message):
        with self.lock:
            self._check_open()
            self.f.write(f"{source}: {message}\n")
            self.f.flush()

    def close(self):
        with self.lock:
            self.closed = True
            self.f.close()
