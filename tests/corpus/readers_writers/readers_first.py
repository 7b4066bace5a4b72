# expect: partial
# mistake: starves the writer
# why: the textbook first attempt (the lesson's ReadersFirst): exclusion is right, but readers
# why: keep coming in while a writer waits, so the writer starves (the visible test says so)
import threading


class ReadWriteLock:
    def __init__(self):
        self.mutex = threading.Lock()
        self.room = threading.Lock()
        self.readers = 0

    def acquire_read(self):
        with self.mutex:
            self.readers += 1
            if self.readers == 1:
                self.room.acquire()

    def release_read(self):
        with self.mutex:
            self.readers -= 1
            if self.readers == 0:
                self.room.release()

    def acquire_write(self):
        self.room.acquire()

    def release_write(self):
        self.room.release()
