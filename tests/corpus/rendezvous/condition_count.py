# expect: full
# why: a Condition and a count of arrivals; each side waits in a while loop until both came
import threading


class Rendezvous:
    def __init__(self):
        self.arrived = 0
        self.changed = threading.Condition()

    def _arrive(self):
        with self.changed:
            self.arrived += 1
            self.changed.notify_all()
            while self.arrived < 2:
                self.changed.wait()

    def arrive_a(self):
        self._arrive()

    def arrive_b(self):
        self._arrive()
