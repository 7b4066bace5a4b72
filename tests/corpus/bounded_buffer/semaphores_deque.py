# expect: full
# why: semaphores count free places and items; a deque's append and popleft are each one atomic
# why: step (the deque is documented as thread-safe for them), so no extra lock is needed
import threading
from collections import deque


class BoundedBuffer:
    def __init__(self, capacity):
        self.free = threading.Semaphore(capacity)
        self.used = threading.Semaphore(0)
        self.items = deque()

    def put(self, item):
        self.free.acquire()
        self.items.append(item)
        self.used.release()

    def get(self):
        self.used.acquire()
        item = self.items.popleft()
        self.free.release()
        return item

    def __len__(self):
        return len(self.items)
