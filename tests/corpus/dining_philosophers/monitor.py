# expect: full
# why: Dijkstra's and Tanenbaum's monitor: one lock guards who is eating, held only while
# why: looking and changing it (never while eating); a philosopher waits on a condition until
# why: both neighbours are not eating, then takes both forks in one step
import threading


class DiningTable:
    def __init__(self, n=5):
        self.n = n
        self.eating = [False] * n
        self.changed = threading.Condition()

    def pick_up(self, i):
        left, right = (i - 1) % self.n, (i + 1) % self.n
        with self.changed:
            while self.eating[left] or self.eating[right]:
                self.changed.wait()
            self.eating[i] = True

    def put_down(self, i):
        with self.changed:
            self.eating[i] = False
            self.changed.notify_all()
