# expect: partial
# mistake: polling
# why: polls with time.sleep instead of blocking on a Condition: every waiting thread wakes up again
# why: and again to look, which is still spinning (and adds up to 10 ms of delay to each item)
import threading
import time
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
            time.sleep(0.01)

    def get(self):
        while True:
            with self.lock:
                if self.items:
                    return self.items.popleft()
            time.sleep(0.01)

    def __len__(self):
        with self.lock:
            return len(self.items)
