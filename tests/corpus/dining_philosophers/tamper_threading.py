# expect: zero
# flag: threading
# why: left fork then right (it deadlocks), and switches off tracing and the grader's thread
# why: start from inside pick_up, hoping nothing is checked: the engine reports the tampering
import sys
import threading


class DiningTable:
    def __init__(self, n=5):
        self.n = n
        self.forks = [threading.Lock() for _ in range(n)]

    def pick_up(self, i):
        sys.settrace(None)
        threading.Thread.start = threading.Thread.run
        self.forks[i].acquire()
        self.forks[(i + 1) % self.n].acquire()

    def put_down(self, i):
        self.forks[i].release()
        self.forks[(i + 1) % self.n].release()
