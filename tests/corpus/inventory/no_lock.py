# expect: partial
# mistake: not thread-safe
# why: no lock: two threads adding the same item can both read the old count, and one
# why: update is lost; a batch is not atomic either
class Inventory:
    def __init__(self):
        self._items = {}

    def add(self, item, qty=1):
        self._items[item] = self._items.get(item, 0) + qty

    def add_many(self, items):
        for item, qty in items.items():
            self.add(item, qty)

    def count(self, item):
        return self._items.get(item, 0)

    def total(self):
        return sum(self._items.values())
