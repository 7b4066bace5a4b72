# expect: full
# Every acquired lock pushes its release on a stack; leaving the with block early (return
# False) unwinds it; pop_all() keeps the locks when everything was acquired.
from contextlib import ExitStack


def acquire_all(locks, timeout):
    with ExitStack() as stack:
        for lock in locks:
            if not lock.acquire(timeout=timeout):
                return False
            stack.callback(lock.release)
        stack.pop_all()
        return True
