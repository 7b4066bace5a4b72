# expect: partial
# why: close() does nothing: write() after close() still writes instead of
# raising ValueError
import threading


class LogWriter:
    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()

    def write(self, source, message):
        with self.lock:
            with open(self.path, "a") as f:
                f.write(f"{source}: {message}\n")

    def close(self):
        pass
