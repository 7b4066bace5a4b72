# expect: partial
# why: a shared list of pending lines, appended, copied and cleared without a lock:
# a line appended between another thread's copy and clear is lost
class LogWriter:
    def __init__(self, path):
        self.f = open(path, "a")
        self.pending = []
        self.closed = False

    def write(self, source, message):
        if self.closed:
            raise ValueError("closed")
        self.pending.append(f"{source}: {message}\n")
        lines = list(self.pending)
        self.pending.clear()
        self.f.write("".join(lines))
        self.f.flush()

    def close(self):
        self.closed = True
        self.f.close()
