# expect: full
# why: one lock, two conditions (readers may go on, a writer may go on), writers preferred
import threading


class ReadWriteLock:
    def __init__(self):
        self.lock = threading.Lock()
        self.can_read = threading.Condition(self.lock)
        self.can_write = threading.Condition(self.lock)
        self.readers = 0
        self.writing = False
        self.writers_waiting = 0

    def acquire_read(self):
        with self.lock:
            while self.writing or self.writers_waiting > 0:
                self.can_read.wait()
            self.readers += 1

    def release_read(self):
        with self.lock:
            self.readers -= 1
            if self.readers == 0:
                self.can_write.notify()

    def acquire_write(self):
        with self.lock:
            self.writers_waiting += 1
            while self.writing or self.readers > 0:
                self.can_write.wait()
            self.writers_waiting -= 1
            self.writing = True

    def release_write(self):
        with self.lock:
            self.writing = False
            if self.writers_waiting:
                self.can_write.notify()
            else:
                self.can_read.notify_all()
