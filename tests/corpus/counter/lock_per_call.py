# expect: partial
# why: creates a new Lock on every call, so no two threads ever wait for the same lock:
# why: it protects nothing
import threading


class Counter:
    def __init__(self):
        self.value = 0

    def increment(self):
        with threading.Lock():
            self.value += 1
