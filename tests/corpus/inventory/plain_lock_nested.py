# expect: partial
# mistake: deadlock
# why: add_many holds a plain Lock and calls add, which asks for the same Lock: the thread
# why: waits for itself forever (a Lock is not reentrant; use an RLock or restructure)
import threading


class Inventory:
    def __init__(self):
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
