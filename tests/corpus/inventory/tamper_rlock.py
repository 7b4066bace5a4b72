# expect: zero
# why: keeps the self-deadlocking plain Lock, and tries to dodge it by making
# why: threading.Lock an RLock from inside the class at run time
# flag: threading
import threading


class Inventory:
    def __init__(self):
        threading.Lock = threading.RLock
        self._lock = threading.Lock()
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
