# expect: partial
# mistake: racing with write
# why: close() sets the file to None without the lock: a write() racing with it
# crashes with AttributeError instead of writing its line or raising ValueError
import threading


class LogWriter:
    def __init__(self, path):
        self.f = open(path, "a")
        self.lock = threading.Lock()

    def write(self, source, message):
        with self.lock:
            if self.f is None:
                raise ValueError("closed")
            self.f.write(f"{source}: {message}\n")
            self.f.flush()

    def close(self):
        f = self.f
        self.f = None
        f.close()
