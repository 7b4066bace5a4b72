# expect: partial
# why: get takes the newest item (list.pop()), not the oldest: last in, first out; the
# why: synchronization itself is right
import threading


class BoundedBuffer:
    def __init__(self, capacity):
        self.capacity = capacity
        self.items = []
        self.cond = threading.Condition()

    def put(self, item):
        with self.cond:
            while len(self.items) >= self.capacity:
                self.cond.wait()
            self.items.append(item)
            self.cond.notify_all()

    def get(self):
        with self.cond:
            while not self.items:
                self.cond.wait()
            item = self.items.pop()
            self.cond.notify_all()
            return item

    def __len__(self):
        with self.cond:
            return len(self.items)
