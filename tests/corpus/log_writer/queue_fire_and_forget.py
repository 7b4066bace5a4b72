# expect: zero
# why: a queue and one writer thread, but write() returns as soon as the line is queued:
# the line is not in the file yet when write() returns, and a line queued after close()'s
# stop signal is lost without an error
import queue
import threading


class LogWriter:
    def __init__(self, path):
        self.file = open(path, "a")
        self.lines = queue.Queue()
        self.closed = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while True:
            line = self.lines.get()
            if line is None:
                self.file.close()
                return
            self.file.write(line)
            self.file.flush()

    def write(self, source, message):
        if self.closed:
            raise ValueError("closed")
        self.lines.put(f"{source}: {message}\n")

    def close(self):
        self.closed = True
        self.lines.put(None)
        self.thread.join()
