# expect: zero
# why: does not compile (an unclosed parenthesis)
import threading


class ReusableBarrier:
    def __init__(self, n):
        self.cond = threading.Condition(
