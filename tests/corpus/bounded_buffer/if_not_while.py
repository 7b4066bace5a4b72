# expect: partial
# mistake: instead of `while`
# why: waits under "if" instead of "while": a woken consumer does not re-check, and when another
# why: consumer took the item first it pops from an empty list (IndexError); a woken producer can
# why: overfill the buffer the same way
import threading


class BoundedBuffer:
    def __init__(self, capacity):
        self.capacity = capacity
        self.items = []
        self.cond = threading.Condition()

    def put(self, item):
        with self.cond:
            if len(self.items) >= self.capacity:
                self.cond.wait()
            self.items.append(item)
            self.cond.notify_all()

    def get(self):
        with self.cond:
            if not self.items:
                self.cond.wait()
            item = self.items.pop(0)
            self.cond.notify_all()
            return item

    def __len__(self):
        with self.cond:
            return len(self.items)
