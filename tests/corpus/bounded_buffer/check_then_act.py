# expect: partial
# why: checks (and waits) under the lock but changes the list after leaving it: two consumers can
# why: both see the last item and both take it (IndexError), two producers can both see the last
# why: free place and overfill the buffer
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
        with self.cond:
            self.cond.notify_all()

    def get(self):
        with self.cond:
            while not self.items:
                self.cond.wait()
        item = self.items.pop(0)
        with self.cond:
            self.cond.notify_all()
        return item

    def __len__(self):
        return len(self.items)
