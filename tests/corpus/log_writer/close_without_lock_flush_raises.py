# expect: partial
# mistake: racing with write
# why: close() closes the file without the lock: a write() between its write and
# its flush sees its line flushed by close() and then raises ValueError (the line is
# written and the caller is told it was not)
import threading


class LogWriter:
    def __init__(self, path):
        self.f = open(path, "a")
        self.lock = threading.Lock()

    def write(self, source, message):
        with self.lock:
            self.f.write(f"{source}: {message}\n")
            self.f.flush()

    def close(self):
        self.f.close()
