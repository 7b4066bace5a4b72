# expect: partial
# mistake: loses updates
# why: no lock at all: `self.value += 1` is a read then a write, and two threads can both
# why: read the same value, so an update is lost (the single-thread test still passes)
class Counter:
    def __init__(self):
        self.value = 0

    def increment(self):
        self.value += 1
