# expect: partial
# why: off by one: on a timeout releases the locks up to and including the one it failed to
# why: get, which another thread holds (or, when free, raises RuntimeError)
def acquire_all(locks, timeout):
    for i, lock in enumerate(locks):
        if not lock.acquire(timeout=timeout):
            for held in locks[: i + 1]:
                held.release()
            return False
    return True
