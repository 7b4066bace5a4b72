# expect: full
# why: waits with a timeout in a while loop, as a safety net; notify_all still wakes every waiter
# why: at once, so this blocks and is correct
import threading
from collections import deque


class BoundedBuffer:
    def __init__(self, capacity):
        self.capacity = capacity
        self.items = deque()
        self.cond = threading.Condition()

    def put(self, item):
        with self.cond:
            while len(self.items) >= self.capacity:
                self.cond.wait(timeout=0.5)
            self.items.append(item)
            self.cond.notify_all()

    def get(self):
        with self.cond:
            while not self.items:
                self.cond.wait(timeout=0.5)
            item = self.items.popleft()
            self.cond.notify_all()
            return item

    def __len__(self):
        return len(self.items)
