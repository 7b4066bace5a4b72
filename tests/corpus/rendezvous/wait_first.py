# expect: zero
# why: each side waits for the other before signalling its own arrival: both wait, nobody
# why: signals, a deadlock in every order
import threading


class Rendezvous:
    def __init__(self):
        self.a_arrived = threading.Semaphore(0)
        self.b_arrived = threading.Semaphore(0)

    def arrive_a(self):
        self.b_arrived.acquire()
        self.a_arrived.release()

    def arrive_b(self):
        self.a_arrived.acquire()
        self.b_arrived.release()
