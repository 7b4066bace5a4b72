# expect: partial
# why: one plain Lock for readers and writers alike: exclusion holds and no writer starves,
# why: but readers cannot read at the same time (two readers that wait inside for each other
# why: deadlock), and readers waiting for a writer get in one at a time, not together
import threading


class ReadWriteLock:
    def __init__(self):
        self.lock = threading.Lock()

    def acquire_read(self):
        self.lock.acquire()

    def release_read(self):
        self.lock.release()

    def acquire_write(self):
        self.lock.acquire()

    def release_write(self):
        self.lock.release()
