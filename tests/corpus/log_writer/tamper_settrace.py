# expect: zero
# why: calls sys.settrace(None) to switch off the grader's tracing, to hide its
# unlocked, torn writes
# flag: threading
import sys


class LogWriter:
    def __init__(self, path):
        sys.settrace(None)
        self.f = open(path, "a")

    def write(self, source, message):
        self.f.write(source)
        self.f.write(": " + message + "\n")
        self.f.flush()

    def close(self):
        self.f.close()
