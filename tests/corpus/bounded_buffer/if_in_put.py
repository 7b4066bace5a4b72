# expect: partial
# mistake: instead of `while`
# why: get re-checks in a while loop, but put waits under "if": a producer woken when a place
# why: frees up does not check again, and when another producer took that place first it overfills
# why: the buffer
import threading


class BoundedBuffer:
    def __init__(self, capacity):
        self.capacity = capacity
        self.items = []
        self.cond = threading.Condition()

    def put(self, item):
        with self.cond:
            if len(self.items) == self.capacity:
                self.cond.wait()
            self.items.append(item)
            self.cond.notify_all()

    def get(self):
        with self.cond:
            while not self.items:
                self.cond.wait()
            item = self.items.pop(0)
            self.cond.notify_all()
            return item

    def __len__(self):
        with self.cond:
            return len(self.items)
