# expect: zero
# why: a writer takes the room, then the readers' mutex; the first reader takes the mutex,
# why: then the room: two locks in opposite orders, so a reader and a writer deadlock
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
        self.mutex.acquire()

    def release_write(self):
        self.mutex.release()
        self.room.release()
