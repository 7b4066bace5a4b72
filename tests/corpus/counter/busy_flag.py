# expect: partial
# why: a home-made lock from a boolean flag: checking the flag and setting it are two
# why: steps, so two threads can both see it free and both go in
class Counter:
    def __init__(self):
        self.value = 0
        self._busy = False

    def increment(self):
        while self._busy:
            pass
        self._busy = True
        self.value += 1
        self._busy = False
