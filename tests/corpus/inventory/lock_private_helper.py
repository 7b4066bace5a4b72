# expect: full
# why: a plain Lock, taken only by the public methods; they share a private helper that
# why: assumes the lock is held, so nothing re-enters the lock
import threading


class Inventory:
    def __init__(self):
        self._lock = threading.Lock()
        self._items = {}

    def _add_locked(self, item, qty):
        # the caller holds self._lock
        self._items[item] = self._items.get(item, 0) + qty

    def add(self, item, qty=1):
        with self._lock:
            self._add_locked(item, qty)

    def add_many(self, items):
        with self._lock:
            for item, qty in items.items():
                self._add_locked(item, qty)

    def count(self, item):
        with self._lock:
            return self._items.get(item, 0)

    def total(self):
        with self._lock:
            return sum(self._items.values())
