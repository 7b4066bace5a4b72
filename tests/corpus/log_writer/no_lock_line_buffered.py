# expect: partial
# mistake: not thread-safe
# why: no lock: a line-buffered file and one write() per line, which CPython 3.13 happens to keep
# why: whole, but a text file is not thread-safe (io docs; lesson 7, section 2): two unlocked
# why: writes can lose or double a line, and close() can race with a write
class LogWriter:
    def __init__(self, path):
        self._file = open(path, "a", buffering=1, encoding="utf-8")

    def write(self, source, message):
        if self._file.closed:
            raise ValueError("write() on a closed LogWriter")
        self._file.write(f"{source}: {message}\n")

    def close(self):
        self._file.close()
