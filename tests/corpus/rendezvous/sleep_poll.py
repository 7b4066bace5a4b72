# expect: partial
# mistake: block and be woken
# why: polls the other side's flag with time.sleep: it meets correctly, but the first to
# why: arrive notices the second only when its sleep ends, late (a visible test)
import time


class Rendezvous:
    def __init__(self):
        self.a = False
        self.b = False

    def arrive_a(self):
        self.a = True
        while not self.b:
            time.sleep(0.01)

    def arrive_b(self):
        self.b = True
        while not self.a:
            time.sleep(0.01)
