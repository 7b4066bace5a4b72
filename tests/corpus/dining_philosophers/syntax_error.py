# expect: zero
# why: does not compile (an unfinished line)
import threading


class DiningTable:
    def __init__(self, n=5):
        self.forks = [threading.Lock() for _ in
