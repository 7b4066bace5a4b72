# expect: full
# why: one Condition; readers wait while a writer is inside or waiting, writers while anybody
# why: is inside; every release that can let somebody in calls notify_all
import threading


class ReadWriteLock:
    def __init__(self):
        self.cond = threading.Condition()
        self.readers = 0
        self.writer = False
        self.waiting_writers = 0

    def acquire_read(self):
        with self.cond:
            self.cond.wait_for(lambda: not self.writer and not self.waiting_writers)
            self.readers += 1

    def release_read(self):
        with self.cond:
            self.readers -= 1
            self.cond.notify_all()

    def acquire_write(self):
        with self.cond:
            self.waiting_writers += 1
            self.cond.wait_for(lambda: not self.writer and not self.readers)
            self.waiting_writers -= 1
            self.writer = True

    def release_write(self):
        with self.cond:
            self.writer = False
            self.cond.notify_all()
