# expect: partial
# why: makes a new Lock in every write() call: no two threads ever share it, so it
# excludes nothing and lines are torn
import threading


class LogWriter:
    def __init__(self, path):
        self.f = open(path, "a")

    def write(self, source, message):
        with threading.Lock():
            self.f.write(source + ": ")
            self.f.write(message + "\n")
            self.f.flush()

    def close(self):
        self.f.close()
