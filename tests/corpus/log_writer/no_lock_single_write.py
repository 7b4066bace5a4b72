# expect: partial
# mistake: not thread-safe
# why: no lock; each line is one write() and a flush, which the engine treats as
# indivisible, but close() racing with write() flushes the line and then write()
# raises ValueError
class LogWriter:
    def __init__(self, path):
        self.f = open(path, "a")

    def write(self, source, message):
        self.f.write(f"{source}: {message}\n")
        self.f.flush()

    def close(self):
        self.f.close()
