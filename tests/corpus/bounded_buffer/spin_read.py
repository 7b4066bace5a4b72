# expect: partial
# why: waits with "while not self.items: pass": the thread burns CPU re-reading the list instead of
# why: blocking (and on a real machine it slows down the very thread it waits for)
import threading
from collections import deque


class BoundedBuffer:
    def __init__(self, capacity):
        self.capacity = capacity
        self.items = deque()
        self.lock = threading.Lock()

    def put(self, item):
        while True:
            while len(self.items) >= self.capacity:
                pass
            with self.lock:
                if len(self.items) < self.capacity:
                    self.items.append(item)
                    return

    def get(self):
        while True:
            while not self.items:
                pass
            with self.lock:
                if self.items:
                    return self.items.popleft()

    def __len__(self):
        with self.lock:
            return len(self.items)
