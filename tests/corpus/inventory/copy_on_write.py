# expect: full
# why: writers serialize on a Lock and publish a new immutable snapshot (counts, total) in
# why: one assignment; readers take no lock and always see a whole snapshot
import threading
from types import MappingProxyType


class Inventory:
    def __init__(self):
        self._write_lock = threading.Lock()
        self._snapshot = (MappingProxyType({}), 0)

    def _apply(self, changes):
        with self._write_lock:
            counts, total = self._snapshot
            new = dict(counts)
            for item, qty in changes:
                new[item] = new.get(item, 0) + qty
                total += qty
            self._snapshot = (MappingProxyType(new), total)

    def add(self, item, qty=1):
        self._apply([(item, qty)])

    def add_many(self, items):
        self._apply(list(items.items()))

    def count(self, item):
        return self._snapshot[0].get(item, 0)

    def total(self):
        return self._snapshot[1]
