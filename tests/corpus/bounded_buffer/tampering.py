# expect: zero
# why: replaces threading.Condition and threading.Lock with do-nothing fakes when a buffer is made,
# why: so that nothing ever waits and the tests could not see a schedule; the grader notices
# flag: threading
import threading


class _NoLock:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def acquire(self, *args, **kwargs):
        return True

    def release(self):
        pass

    def wait(self, timeout=None):
        return True

    def notify(self, n=1):
        pass

    def notify_all(self):
        pass


class BoundedBuffer:
    def __init__(self, capacity):
        threading.Lock = threading.Condition = lambda *args: _NoLock()
        self.capacity = capacity
        self.items = []
        self.cond = threading.Condition()

    def put(self, item):
        with self.cond:
            self.items.append(item)

    def get(self):
        with self.cond:
            return self.items.pop(0)

    def __len__(self):
        return len(self.items)
