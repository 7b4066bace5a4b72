# expect: full
# One deadline for the whole call, so it never waits more than `timeout` in all (and so at most
# `timeout` for each lock); released by index on failure.
import time


def acquire_all(locks, timeout):
    deadline = time.monotonic() + timeout
    for i, lock in enumerate(locks):
        left = max(0.0, deadline - time.monotonic())
        if not lock.acquire(timeout=left):
            for j in range(i - 1, -1, -1):
                locks[j].release()
            return False
    return True
