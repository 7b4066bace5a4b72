# expect: full
# why: a threading.Barrier(2) is a rendezvous of two threads, ready-made
import threading


class Rendezvous:
    def __init__(self):
        self.barrier = threading.Barrier(2)

    def arrive_a(self):
        self.barrier.wait()

    def arrive_b(self):
        self.barrier.wait()
