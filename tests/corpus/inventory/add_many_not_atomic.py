# expect: partial
# mistake: not atomic
# why: every add is locked, but add_many calls add once per item without holding the lock
# why: across the batch: a concurrent total() can see half of it
import threading


class Inventory:
    def __init__(self):
        self._lock = threading.Lock()
        self._items = {}

    def add(self, item, qty=1):
        with self._lock:
            self._items[item] = self._items.get(item, 0) + qty

    def add_many(self, items):
        for item, qty in items.items():
            self.add(item, qty)

    def count(self, item):
        with self._lock:
            return self._items.get(item, 0)

    def total(self):
        with self._lock:
            return sum(self._items.values())
