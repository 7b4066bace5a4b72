# expect: zero
# why: does not compile (a missing colon)
import threading


class Rendezvous
    def __init__(self):
        self.a = threading.Semaphore(0)
