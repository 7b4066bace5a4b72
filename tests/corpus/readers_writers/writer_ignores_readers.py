# expect: zero
# why: readers wait for writers, but a writer only waits for other writers: it gets in while
# why: readers are inside
import threading


class ReadWriteLock:
    def __init__(self):
        self.cond = threading.Condition()
        self.writer = False

    def acquire_read(self):
        with self.cond:
            while self.writer:
                self.cond.wait()

    def release_read(self):
        pass

    def acquire_write(self):
        with self.cond:
            while self.writer:
                self.cond.wait()
            self.writer = True

    def release_write(self):
        with self.cond:
            self.writer = False
            self.cond.notify_all()
