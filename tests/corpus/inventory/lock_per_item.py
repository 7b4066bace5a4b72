# expect: partial
# why: one lock per item (made without a lock of its own, so two threads can each make
# why: a different lock for the same new item), and batches are not atomic
import threading


class Inventory:
    def __init__(self):
        self._items = {}
        self._locks = {}

    def _lock_for(self, item):
        if item not in self._locks:
            self._locks[item] = threading.Lock()
        return self._locks[item]

    def add(self, item, qty=1):
        with self._lock_for(item):
            self._items[item] = self._items.get(item, 0) + qty

    def add_many(self, items):
        for item, qty in items.items():
            self.add(item, qty)

    def count(self, item):
        return self._items.get(item, 0)

    def total(self):
        return sum(self._items.values())
