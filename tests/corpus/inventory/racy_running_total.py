# expect: partial
# why: the counts are locked, but the running total is updated after the lock is
# why: released: two adds of different items can lose an update of the total
import threading


class Inventory:
    def __init__(self):
        self._lock = threading.RLock()
        self._items = {}
        self._total = 0

    def add(self, item, qty=1):
        with self._lock:
            self._items[item] = self._items.get(item, 0) + qty
        self._total += qty

    def add_many(self, items):
        with self._lock:
            for item, qty in items.items():
                self.add(item, qty)

    def count(self, item):
        with self._lock:
            return self._items.get(item, 0)

    def total(self):
        return self._total
