# expect: full
import threading

_log_lock = threading.Lock()  # one lock for every log: simple, a little slower with many logs


class LogWriter:
    def __init__(self, path):
        self.file = open(path, "a")
        self.closed = False

    def write(self, source, message):
        with _log_lock:
            if self.closed:
                raise ValueError("this LogWriter is closed")
            print(source, message, sep=": ", file=self.file, flush=True)

    def close(self):
        with _log_lock:
            self.closed = True
            self.file.close()
