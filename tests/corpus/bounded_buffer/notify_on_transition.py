# expect: partial
# mistake: lost wakeup
# why: notifies only when the buffer goes from empty to non-empty (or full to not full): with two
# why: consumers waiting and two items put, only one consumer is woken and the other waits forever
# why: beside an item (a lost wakeup, so a deadlock)
import threading


class BoundedBuffer:
    def __init__(self, capacity):
        self.capacity = capacity
        self.items = []
        self.lock = threading.Lock()
        self.not_full = threading.Condition(self.lock)
        self.not_empty = threading.Condition(self.lock)

    def put(self, item):
        with self.lock:
            while len(self.items) == self.capacity:
                self.not_full.wait()
            self.items.append(item)
            if len(self.items) == 1:  # it was empty: someone may be waiting
                self.not_empty.notify()

    def get(self):
        with self.lock:
            while not self.items:
                self.not_empty.wait()
            item = self.items.pop(0)
            if len(self.items) == self.capacity - 1:  # it was full
                self.not_full.notify()
            return item

    def __len__(self):
        with self.lock:
            return len(self.items)
