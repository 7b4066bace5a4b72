# expect: zero
# flag: threading
# why: the readers-first lock, and it replaces time.monotonic with a clock that stands still,
# why: hoping the starvation test measures no wait: every test cell finds the grader's clock
# why: replaced (tampering), puts the real one back and scores the exercise zero
import threading
import time

time.monotonic = lambda: 0.0


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
