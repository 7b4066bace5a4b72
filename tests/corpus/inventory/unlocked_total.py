# expect: partial
# why: the writers are atomic, but total() sums the dict without the lock, in several
# why: steps: in the middle of a batch it sees part of it
import threading


class Inventory:
    def __init__(self):
        self._lock = threading.RLock()
        self._items = {}

    def add(self, item, qty=1):
        with self._lock:
            self._items[item] = self._items.get(item, 0) + qty

    def add_many(self, items):
        with self._lock:
            for item, qty in items.items():
                self.add(item, qty)

    def count(self, item):
        return self._items.get(item, 0)

    def total(self):
        total = 0
        for item in list(self._items):
            total += self._items[item]
        return total
