# expect: partial
# why: opens the file with mode 'w', which empties it: what the file held is lost
import threading


class LogWriter:
    def __init__(self, path):
        self.f = open(path, "w")
        self.lock = threading.Lock()

    def write(self, source, message):
        with self.lock:
            self.f.write(f"{source}: {message}\n")
            self.f.flush()

    def close(self):
        with self.lock:
            self.f.close()
