# expect: full
import threading


class LogWriter:
    def __init__(self, path):
        self._f = open(path, "a", buffering=1)
        self._lock = threading.RLock()
        self._open = True

    def write(self, source, message):
        with self._lock:
            if not self._open:
                raise ValueError("closed")
            self._f.write(source)
            self._f.write(": ")
            self._f.write(message)
            self._f.write("\n")

    def close(self):
        with self._lock:
            self._open = False
            self._f.close()
