# expect: partial
# why: no lock, and tampers with threading to hide the race: Thread.start runs the target at
# why: once (threads one after another) and the switch interval is huge. The grader runs
# why: its own threads under its own scheduler, so the lost update is still found.
# flag: threading
import sys
import threading

threading.Thread.start = lambda self: self.run()
sys.setswitchinterval(1000)


class Counter:
    def __init__(self):
        self.value = 0

    def increment(self):
        self.value += 1
