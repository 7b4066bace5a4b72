# expect: partial
# mistake: holds the lock
# why: a ring buffer with semaphores but no lock around the array and its indexes: it works for one
# why: producer and one consumer, but two producers can write the same slot (an item is lost and
# why: another taken twice), and the count updates race
import threading


class BoundedBuffer:
    def __init__(self, capacity):
        self.slots = [None] * capacity
        self.head = 0  # next slot to read
        self.tail = 0  # next slot to write
        self.count = 0
        self.free = threading.Semaphore(capacity)
        self.used = threading.Semaphore(0)

    def put(self, item):
        self.free.acquire()
        self.slots[self.tail] = item
        self.tail = (self.tail + 1) % len(self.slots)
        self.count += 1
        self.used.release()

    def get(self):
        self.used.acquire()
        item = self.slots[self.head]
        self.head = (self.head + 1) % len(self.slots)
        self.count -= 1
        self.free.release()
        return item

    def __len__(self):
        return self.count
