# expect: zero
# why: a syntax error (a missing colon): the cell does not run, BoundedBuffer is never defined
import threading


class BoundedBuffer
    def __init__(self, capacity):
        self.capacity = capacity
        self.items = []
        self.cond = threading.Condition()
