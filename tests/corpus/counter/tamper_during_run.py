# expect: zero
# why: switches off tracing (sys.settrace(None)) and puts threading.Lock back to the raw
# why: _thread lock from inside increment, hoping to hide its race from the grader
# flag: threading
import _thread
import sys
import threading


class Counter:
    def __init__(self):
        self.value = 0

    def increment(self):
        sys.settrace(None)
        threading.Lock = _thread.allocate_lock
        self.value += 1
