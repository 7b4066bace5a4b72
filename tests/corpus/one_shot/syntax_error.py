# expect: zero
# why: a syntax error (`=` where `==` is meant): the cell does not run, OneShot is never defined
import threading


class OneShot:
    def __init__(self):
        self._done = threading.Event()

    def set(self, value):
        if self._done.is_set() = True:
            raise RuntimeError("already set")
