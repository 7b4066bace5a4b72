# expect: full
# why: counting semaphores for free slots and for items, and a Lock around the list itself
import threading
from collections import deque


class BoundedBuffer:
    def __init__(self, capacity):
        self.slots = threading.Semaphore(capacity)  # free places
        self.filled = threading.Semaphore(0)  # items ready to take
        self.mutex = threading.Lock()
        self.items = deque()

    def put(self, item):
        self.slots.acquire()  # wait for a free place before taking the lock
        with self.mutex:
            self.items.append(item)
        self.filled.release()

    def get(self):
        self.filled.acquire()
        with self.mutex:
            item = self.items.popleft()
        self.slots.release()
        return item

    def __len__(self):
        with self.mutex:
            return len(self.items)
