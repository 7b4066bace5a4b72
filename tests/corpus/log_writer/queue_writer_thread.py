# expect: full
import queue
import threading


class LogWriter:
    def __init__(self, path):
        self._file = open(path, "a")
        self._queue = queue.Queue()
        self._lock = threading.Lock()
        self._closed = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while True:
            item = self._queue.get()
            if item is None:
                self._file.close()
                return
            line, done = item
            self._file.write(line)
            self._file.flush()
            done.set()

    def write(self, source, message):
        done = threading.Event()
        with self._lock:
            if self._closed:
                raise ValueError("closed")
            self._queue.put((f"{source}: {message}\n", done))
        done.wait()

    def close(self):
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._queue.put(None)
        self._thread.join()
