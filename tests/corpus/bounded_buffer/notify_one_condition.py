# expect: partial
# mistake: notify() may wake the wrong thread
# why: producers and consumers share one Condition but notify() wakes only one waiter: a consumer
# why: can wake another consumer instead of the waiting producer (a lost wakeup), and then every
# why: thread waits although each put has a matching get: a deadlock
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
                self.cond.wait()
            self.items.append(item)
            self.cond.notify()

    def get(self):
        with self.cond:
            while not self.items:
                self.cond.wait()
            item = self.items.popleft()
            self.cond.notify()
            return item

    def __len__(self):
        with self.cond:
            return len(self.items)
