# expect: zero
# why: a busy flag that is never cleared: the second increment spins forever waiting for it
class Counter:
    def __init__(self):
        self.value = 0
        self._busy = False

    def increment(self):
        while self._busy:
            pass
        self._busy = True
        self.value += 1
