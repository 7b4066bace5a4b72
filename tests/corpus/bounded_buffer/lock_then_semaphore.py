# expect: partial
# why: takes the mutex first and then waits on a semaphore while holding it: a consumer waiting for
# why: an item keeps the producer out of the buffer, and each waits for the other forever
import threading
from collections import deque


class BoundedBuffer:
    def __init__(self, capacity):
        self.slots = threading.Semaphore(capacity)
        self.filled = threading.Semaphore(0)
        self.mutex = threading.Lock()
        self.items = deque()

    def put(self, item):
        with self.mutex:
            self.slots.acquire()
            self.items.append(item)
            self.filled.release()

    def get(self):
        with self.mutex:
            self.filled.acquire()
            self.slots.release()
            return self.items.popleft()

    def __len__(self):
        with self.mutex:
            return len(self.items)
