# expect: full
# why: two semaphores at 0: each side signals its arrival, then waits for the other's
import threading


class Rendezvous:
    def __init__(self):
        self.a_arrived = threading.Semaphore(0)
        self.b_arrived = threading.Semaphore(0)

    def arrive_a(self):
        self.a_arrived.release()
        self.b_arrived.acquire()

    def arrive_b(self):
        self.b_arrived.release()
        self.a_arrived.acquire()
