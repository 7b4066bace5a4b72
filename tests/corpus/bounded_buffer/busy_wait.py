# expect: partial
# mistake: spin
# why: waits by spinning ("while not self.items: pass"), burning CPU instead of blocking; the list
# why: itself is protected by a lock
import threading
from collections import deque


class BoundedBuffer:
    def __init__(self, capacity):
        self.capacity = capacity
        self.items = deque()
        self.lock = threading.Lock()

    def put(self, item):
        while True:
            with self.lock:
                if len(self.items) < self.capacity:
                    self.items.append(item)
                    return

    def get(self):
        while True:
            with self.lock:
                if self.items:
                    return self.items.popleft()

    def __len__(self):
        with self.lock:
            return len(self.items)
