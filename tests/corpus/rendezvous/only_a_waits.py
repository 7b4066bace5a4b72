# expect: zero
# why: A waits for B, but B does not wait for A: b2 can come before a1
import threading


class Rendezvous:
    def __init__(self):
        self.b_arrived = threading.Event()

    def arrive_a(self):
        self.b_arrived.wait()

    def arrive_b(self):
        self.b_arrived.set()
