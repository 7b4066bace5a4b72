# expect: partial
# why: thread-safe, but count() of an item never added raises KeyError instead of
# why: returning 0
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
        with self._lock:
            return self._items[item]

    def total(self):
        with self._lock:
            return sum(self._items.values())
