# expect: zero
# flag: threading
# why: does not wait at all, and replaces threading's Semaphore and sys.settrace from inside
# why: the methods, hoping to hide from the grader: the engine reports the tampering
import sys
import threading


class Rendezvous:
    def arrive_a(self):
        sys.settrace(None)
        threading.Semaphore = object

    def arrive_b(self):
        sys.settrace(None)
