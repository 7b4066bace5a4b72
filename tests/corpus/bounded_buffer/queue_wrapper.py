# expect: full
# why: queue.Queue(maxsize) already is a thread-safe bounded FIFO buffer; len is its qsize()
import queue


class BoundedBuffer:
    def __init__(self, capacity):
        self._queue = queue.Queue(maxsize=capacity)

    def put(self, item):
        self._queue.put(item)

    def get(self):
        return self._queue.get()

    def __len__(self):
        return self._queue.qsize()
