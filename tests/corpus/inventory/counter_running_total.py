# expect: full
# why: collections.Counter plus a running total, both changed under one RLock; add_many
# why: updates both inside one critical section
from collections import Counter
from threading import RLock


class Inventory:
    def __init__(self):
        self._mutex = RLock()
        self._counts = Counter()
        self._total = 0

    def add(self, item, qty=1):
        self.add_many({item: qty})

    def add_many(self, items):
        with self._mutex:
            self._counts.update(items)
            self._total += sum(items.values())

    def count(self, item):
        with self._mutex:
            return self._counts[item]

    def total(self):
        with self._mutex:
            return self._total
