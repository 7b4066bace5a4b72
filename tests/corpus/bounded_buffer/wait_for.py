# expect: full
# why: Condition.wait_for re-checks its predicate in a loop (the while loop, written for you)
import threading


class BoundedBuffer:
    def __init__(self, capacity):
        self.capacity = capacity
        self.items = []
        self.cond = threading.Condition(threading.RLock())

    def put(self, item):
        with self.cond:
            self.cond.wait_for(lambda: len(self.items) < self.capacity)
            self.items.append(item)
            self.cond.notify_all()

    def get(self):
        with self.cond:
            self.cond.wait_for(lambda: len(self) > 0)
            self.cond.notify_all()
            return self.items.pop(0)

    def __len__(self):
        with self.cond:
            return len(self.items)
