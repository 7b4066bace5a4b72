"""A bounded buffer (capacity 1) on a ``Condition`` whose ``get`` says ``if`` instead of ``while``.

Two producers put one item each, two consumers get one item each. The bug: a consumer that found
the buffer empty waits, a producer puts an item and notifies, but the *other* consumer takes the
lock first and the item with it; the woken consumer does not re-check (``if``, not ``while``) and
pops from an empty list: ``IndexError``. Buggy.

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
            if not self.items:  # BUG: must be `while`: the item may be gone when we wake up
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


EXPECTED = "exception"
