# expect: partial
# why: the semaphores are class attributes, shared by every Rendezvous: one pair's arrival
# why: lets a thread of another pair through (the hidden test with two objects)
# why: visible tests pass: a Python slip (class attributes shared by every object), not a
# why: synchronization mistake the puzzle warns about: the hidden test with two objects catches it
import threading


class Rendezvous:
    a_arrived = threading.Semaphore(0)
    b_arrived = threading.Semaphore(0)

    def arrive_a(self):
        self.a_arrived.release()
        self.b_arrived.acquire()

    def arrive_b(self):
        self.b_arrived.release()
        self.a_arrived.acquire()
