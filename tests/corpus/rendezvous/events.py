# expect: full
# why: two Events: each side sets its own, then waits for the other's
import threading


class Rendezvous:
    def __init__(self):
        self.a_here = threading.Event()
        self.b_here = threading.Event()

    def arrive_a(self):
        self.a_here.set()
        self.b_here.wait()

    def arrive_b(self):
        self.b_here.set()
        self.a_here.wait()
