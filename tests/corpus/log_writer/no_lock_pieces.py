# expect: partial
# mistake: not thread-safe
# why: no lock, and the line is written in two pieces: another thread's line lands
# in between (torn line); close() racing with write() leaves a half line
class LogWriter:
    def __init__(self, path):
        self.f = open(path, "a")

    def write(self, source, message):
        self.f.write(source)
        self.f.write(": " + message + "\n")
        self.f.flush()

    def close(self):
        self.f.close()
