"""A bounded buffer (capacity 1) on ``threading.Condition`` whose ``get`` re-checks with ``while``.

Two producers put one item each, two consumers get one item each. A woken consumer re-checks
the buffer and waits again if another consumer took the item first. Correct.

The threads are listed producer, consumer, producer, consumer so that running them one after
another (the serial check in the tests) finishes.
"""

import threading

CAPACITY = 1


class BoundedBuffer:
    def __init__(self):
        self.items = []
        self.cond = threading.Condition()
        self.consumed = []

    def put(self, item):
        with self.cond:
            while len(self.items) >= CAPACITY:
                self.cond.wait()
            self.items.append(item)
            self.cond.notify_all()

    def get(self):
        with self.cond:
            while not self.items:  # re-check: another consumer may have taken the item
                self.cond.wait()
            item = self.items.pop(0)
            self.cond.notify_all()
            return item


def setup():
    return BoundedBuffer()


def produce_1(buf):
    buf.put(1)


def produce_2(buf):
    buf.put(2)


def consume(buf):
    buf.consumed.append(buf.get())


threads = [produce_1, consume, produce_2, consume]


def invariant(buf):
    if sorted(buf.consumed) != [1, 2] or buf.items:
        raise AssertionError(
            f"consumed {buf.consumed}, left in buffer {buf.items}; expected [1, 2] and []"
        )


EXPECTED = "ok"
