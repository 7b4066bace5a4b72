# expect: zero
# why: waits by spinning on a flag ("while not self.b: pass"): the engine reports the spin
class Rendezvous:
    def __init__(self):
        self.a = False
        self.b = False

    def arrive_a(self):
        self.a = True
        while not self.b:
            pass

    def arrive_b(self):
        self.b = True
        while not self.a:
            pass
