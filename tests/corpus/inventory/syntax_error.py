# expect: zero
# why: a syntax error (`=+` typed as `+==`): the cell does not run and Inventory is never
# why: defined
import threading


class Inventory:
    def __init__(self):
        self._lock = threading.RLock()
        self._items = {}

    def add(self, item, qty=1):
        with self._lock:
            self._items[item] +== qty
