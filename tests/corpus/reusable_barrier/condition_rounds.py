# expect: full
# why: a Condition, a count and a round number; the last thread of a round starts the next
# why: round and wakes everybody; the others wait while their round is the current one
import threading


class ReusableBarrier:
    def __init__(self, n):
        self.n = n
        self.count = 0
        self.round = 0
        self.cond = threading.Condition()

    def wait(self):
        with self.cond:
            mine = self.round
            self.count += 1
            if self.count == self.n:
                self.count = 0
                self.round += 1
                self.cond.notify_all()
            else:
                self.cond.wait_for(lambda: self.round != mine)
