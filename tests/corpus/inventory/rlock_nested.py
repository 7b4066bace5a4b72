# expect: full
# why: an RLock; add_many holds it for the whole batch and calls add, which takes it again
# why: (re-entering is allowed), so a batch is atomic and nothing deadlocks
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
            return self._items.get(item, 0)

    def total(self):
        with self._lock:
            return sum(self._items.values())
