# expect: zero
# why: the counts are kept under a lock, but threads wait by spinning on them: the engine
# why: reports the spin
import threading


class ReadWriteLock:
    def __init__(self):
        self.lock = threading.Lock()
        self.readers = 0
        self.writer = False
        self.writers_waiting = 0

    def acquire_read(self):
        while True:
            with self.lock:
                if not self.writer and not self.writers_waiting:
                    self.readers += 1
                    return

    def release_read(self):
        with self.lock:
            self.readers -= 1

    def acquire_write(self):
        with self.lock:
            self.writers_waiting += 1
        while True:
            with self.lock:
                if not self.writer and not self.readers:
                    self.writers_waiting -= 1
                    self.writer = True
                    return

    def release_write(self):
        with self.lock:
            self.writer = False
