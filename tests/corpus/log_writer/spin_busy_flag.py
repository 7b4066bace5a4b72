# expect: partial
# why: a home-made lock, a busy flag checked in a loop: it spins while another thread is
# inside, and the check and the set are not atomic (one thread alone works)
class LogWriter:
    def __init__(self, path):
        self.f = open(path, "a")
        self.busy = False
        self.closed = False

    def write(self, source, message):
        while self.busy:
            pass
        self.busy = True
        try:
            if self.closed:
                raise ValueError("closed")
            self.f.write(f"{source}: {message}\n")
            self.f.flush()
        finally:
            self.busy = False

    def close(self):
        self.closed = True
