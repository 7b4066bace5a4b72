# expect: zero
# why: a home-made lock (a busy flag) that add_many sets and then calls add, which waits
# why: for the flag to clear: the thread spins forever waiting for itself
class Inventory:
    def __init__(self):
        self._busy = False
        self._items = {}

    def _enter(self):
        while self._busy:
            pass
        self._busy = True

    def add(self, item, qty=1):
        self._enter()
        self._items[item] = self._items.get(item, 0) + qty
        self._busy = False

    def add_many(self, items):
        self._enter()
        for item, qty in items.items():
            self.add(item, qty)
        self._busy = False

    def count(self, item):
        return self._items.get(item, 0)

    def total(self):
        return sum(self._items.values())
