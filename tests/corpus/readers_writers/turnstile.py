# expect: full
# why: Downey's no-starve solution: a turnstile lock in front of everybody, which a writer
# why: holds while it waits for the room to empty, and a lightswitch (the first reader in
# why: locks the room, the last one out unlocks it)
import threading


class ReadWriteLock:
    def __init__(self):
        self.turnstile = threading.Lock()
        self.room_empty = threading.Semaphore(1)
        self.mutex = threading.Lock()
        self.readers = 0

    def acquire_read(self):
        with self.turnstile:
            pass
        with self.mutex:
            self.readers += 1
            if self.readers == 1:
                self.room_empty.acquire()

    def release_read(self):
        with self.mutex:
            self.readers -= 1
            if self.readers == 0:
                self.room_empty.release()

    def acquire_write(self):
        self.turnstile.acquire()
        self.room_empty.acquire()
        self.turnstile.release()

    def release_write(self):
        self.room_empty.release()
