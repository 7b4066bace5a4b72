# expect: partial
# why: a correct ring buffer, but len() returns the size of the array (the capacity), not the
# why: number of items held
import threading


class BoundedBuffer:
    def __init__(self, capacity):
        self.slots = [None] * capacity
        self.head = 0
        self.count = 0
        self.cond = threading.Condition()

    def put(self, item):
        with self.cond:
            while self.count == len(self.slots):
                self.cond.wait()
            self.slots[(self.head + self.count) % len(self.slots)] = item
            self.count += 1
            self.cond.notify_all()

    def get(self):
        with self.cond:
            while self.count == 0:
                self.cond.wait()
            item = self.slots[self.head]
            self.slots[self.head] = None
            self.head = (self.head + 1) % len(self.slots)
            self.count -= 1
            self.cond.notify_all()
            return item

    def __len__(self):
        return len(self.slots)
